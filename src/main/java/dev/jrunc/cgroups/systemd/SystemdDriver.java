package dev.jrunc.cgroups.systemd;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.CgroupMount;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.spec.model.Resources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The systemd cgroup driver ({@code --systemd-cgroup}): the container's cgroup is a transient
 * unit (a scope, or a slice) that systemd makes, with the container's pid in it, delegated to
 * jrunc. The limits systemd has properties for are given as unit properties; everything is
 * then also written through the fs driver into the unit's cgroup, as runc does, so what systemd
 * has no property for (memory.high, unified, devices, ...) is set too.
 *
 * <p>Nothing here is touched on the cgroupfs path: the D-Bus classes load only when a
 * container is made, updated or deleted with this driver.
 */
public final class SystemdDriver implements AutoCloseable {
    /** The state.json member naming the driver, and the one naming the unit. */
    public static final String DRIVER_KEY = "cgroupDriver";
    public static final String UNIT_KEY = "systemdUnit";

    private final Systemd systemd;
    private final UnitPath path;
    private final boolean v2;
    private final Map<String, Path> dirs;

    private SystemdDriver(Systemd systemd, UnitPath path, boolean v2, Map<String, Path> dirs) {
        this.systemd = systemd;
        this.path = path;
        this.v2 = v2;
        this.dirs = dirs;
    }

    /**
     * Parses the cgroupsPath (refused in runc's words before anything is made), connects to
     * systemd and works out the unit's cgroup directory in every hierarchy.
     */
    public static SystemdDriver open(List<CgroupMount> mounts, String cgroupsPath, String id, boolean rootless)
            throws JruncException {
        UnitPath path = UnitPath.parse(cgroupsPath, id, rootless);
        boolean v2 = !ResourcesWriter.v1(mounts);
        if (rootless && !v2) {
            throw new JruncException("systemd: rootless containers need cgroup v2 (the user's systemd has no delegation on v1)");
        }
        Systemd systemd = Systemd.connect(rootless);
        try {
            String base = rootless ? String.valueOf(systemd.managerProperty("ControlGroup")) : "";
            return new SystemdDriver(systemd, path, v2, dirs(mounts, base, path.cgroup()));
        } catch (JruncException | RuntimeException e) {
            systemd.close();
            throw e;
        }
    }

    /**
     * The unit's directory in each mounted hierarchy: {@code MOUNT/BASE/expanded-slice/unit}
     * ({@code BASE} the user manager's own cgroup when rootless, else empty).
     */
    static Map<String, Path> dirs(List<CgroupMount> mounts, String base, String cgroup) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        String rel = (base + cgroup).replaceAll("^/+", "");
        for (CgroupMount m : mounts) {
            dirs.put(m.key(), m.mountPoint().resolve(rel));
        }
        return dirs;
    }

    public String unit() {
        return path.unit();
    }

    public Map<String, Path> dirs() {
        return dirs;
    }

    /** Starts the unit with {@code pid} in it and the properties of {@code resources}; waits for the job. */
    public void start(String id, int pid, Resources resources) throws JruncException {
        List<Property> props = new java.util.ArrayList<>(UnitProperties.base(path, id, pid, v2));
        props.addAll(resourceProperties(resources));
        systemd.startUnit(path.unit(), props);
    }

    /** {@code update}: the unit's properties for {@code resources} (the fs writes follow, as at create). */
    public void update(Resources resources) throws JruncException {
        systemd.setProperties(path.unit(), resourceProperties(resources));
    }

    private List<Property> resourceProperties(Resources resources) throws JruncException {
        int version = systemd.version();
        return v2 ? UnitProperties.v2(resources, version) : UnitProperties.v1(resources, version);
    }

    /** Stops the unit, waiting for its job; a unit already gone is fine. */
    public void stop() throws JruncException {
        systemd.stopUnit(path.unit());
    }

    /** Stops {@code unit} (from a container's state) over a new connection. */
    public static void stop(String unit, boolean rootless) throws JruncException {
        try (Systemd s = Systemd.connect(rootless)) {
            s.stopUnit(unit);
        }
    }

    /** Sets {@code unit}'s properties for {@code resources} over a new connection. */
    public static void update(String unit, boolean rootless, List<CgroupMount> mounts, Resources resources)
            throws JruncException {
        try (Systemd s = Systemd.connect(rootless)) {
            int version = s.version();
            s.setProperties(unit, ResourcesWriter.v1(mounts) ? UnitProperties.v1(resources, version)
                    : UnitProperties.v2(resources, version));
        }
    }

    /** The JSON members state.json records for this driver. */
    public Map<String, String> stateMembers() {
        return Map.of(DRIVER_KEY, "\"systemd\"", UNIT_KEY, jsonString(path.unit()));
    }

    /** The unit of a state's extra members, or null when the container is not on this driver. */
    public static String unitOf(Map<String, String> extra) {
        String raw = extra.get(UNIT_KEY);
        if (!"\"systemd\"".equals(extra.get(DRIVER_KEY)) || raw == null || raw.length() < 2) {
            return null;
        }
        return raw.substring(1, raw.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        systemd.close();
    }
}
