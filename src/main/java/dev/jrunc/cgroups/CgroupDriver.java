package dev.jrunc.cgroups;

import java.util.Map;

/**
 * The drivers a container's cgroup can be managed by, as state.json names them
 * ({@code cgroupDriver}): the cgroupfs driver on a v1 host (hybrid hosts included: limits go to
 * the v1 controllers) or on a v2-only host, and the systemd driver (a transient scope) on either.
 */
public enum CgroupDriver {
    FS_V1("cgroupfs-v1"),
    FS_V2("cgroupfs-v2"),
    SYSTEMD_V1("systemd-v1"),
    SYSTEMD_V2("systemd-v2");

    private final String text;

    CgroupDriver(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public boolean systemd() {
        return this == SYSTEMD_V1 || this == SYSTEMD_V2;
    }

    public boolean v2() {
        return this == FS_V2 || this == SYSTEMD_V2;
    }

    /**
     * The driver state.json names; a record without one (written before the driver was
     * recorded) was made by the cgroupfs driver, v1 when it has a v1 controller's directory.
     */
    public static CgroupDriver of(String text, Map<String, String> cgroupPaths) {
        if (text != null) {
            for (CgroupDriver d : values()) {
                if (d.text.equals(text)) {
                    return d;
                }
            }
        }
        boolean v1 = cgroupPaths.keySet().stream().anyMatch(k -> !k.equals(CgroupMount.UNIFIED) && !k.startsWith("name="));
        return v1 ? FS_V1 : FS_V2;
    }
}
