package dev.jrunc.cgroups.systemd;

import dev.jrunc.JruncException;

/**
 * runc's systemd form of {@code linux.cgroupsPath}, {@code slice:prefix:name}: the unit is
 * {@code prefix-name.scope} (or {@code name} itself when it ends in {@code .slice}) in the
 * parent slice {@code slice}. Empty parts take runc's defaults: {@code system.slice}
 * ({@code user.slice} rootless) and, for an empty cgroupsPath, prefix {@value #DEFAULT_PREFIX}
 * and the container id.
 */
public record UnitPath(String slice, String prefix, String name) {
    /**
     * The scope prefix of an empty cgroupsPath. runc uses "runc"; engines always pass a full
     * {@code slice:prefix:name} (podman {@code machine.slice:libpod:ID}, containerd
     * {@code system.slice:cri-containerd:ID}), so jrunc names its own scopes.
     */
    public static final String DEFAULT_PREFIX = "jrunc";

    private static final String SLICE = ".slice";

    /** Parses {@code cgroupsPath} (null or empty: the defaults) for container {@code id}. */
    public static UnitPath parse(String cgroupsPath, String id, boolean rootless) throws JruncException {
        String defaultSlice = rootless ? "user.slice" : "system.slice";
        if (cgroupsPath == null || cgroupsPath.isEmpty()) {
            return new UnitPath(defaultSlice, DEFAULT_PREFIX, id);
        }
        String[] parts = cgroupsPath.split(":", -1);
        if (parts.length != 3) {
            throw new JruncException("expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \""
                    + cgroupsPath + "\" instead");
        }
        String slice = parts[0].isEmpty() ? defaultSlice : parts[0];
        expand(slice);
        if (parts[2].isEmpty()) {
            throw new JruncException("expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \""
                    + cgroupsPath + "\" instead");
        }
        if (parts[2].contains("/") || parts[1].contains("/")) {
            throw new JruncException("invalid unit name: " + parts[1] + "-" + parts[2]);
        }
        return new UnitPath(slice, parts[1], parts[2]);
    }

    /** The unit's name: {@code prefix-name.scope}, {@code name.scope} without a prefix, or a slice as named. */
    public String unit() {
        if (name.endsWith(SLICE)) {
            return name;
        }
        return prefix.isEmpty() ? name + ".scope" : prefix + "-" + name + ".scope";
    }

    /** True when the unit is a slice (its parent is then given by Wants=, not Slice=). */
    public boolean isSlice() {
        return name.endsWith(SLICE);
    }

    /**
     * The unit's cgroup relative to the root of the hierarchy (or of the user manager's cgroup):
     * the expanded parent slice, then the unit.
     */
    public String cgroup() throws JruncException {
        String parent = expand(slice);
        return (parent.equals("/") ? "" : parent) + "/" + unit();
    }

    /**
     * runc's ExpandSlice: {@code a-b-c.slice} lives at {@code /a.slice/a-b.slice/a-b-c.slice};
     * {@code -.slice} is the root. No slash, no empty component.
     */
    public static String expand(String slice) throws JruncException {
        if (slice.length() < SLICE.length() || !slice.endsWith(SLICE) || slice.contains("/")) {
            throw new JruncException("invalid slice name: " + slice);
        }
        String base = slice.substring(0, slice.length() - SLICE.length());
        if (base.equals("-")) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        StringBuilder prefix = new StringBuilder();
        for (String component : base.split("-", -1)) {
            if (component.isEmpty()) {
                throw new JruncException("invalid slice name: " + slice);
            }
            path.append('/').append(prefix).append(component).append(SLICE);
            prefix.append(component).append('-');
        }
        return path.toString();
    }
}
