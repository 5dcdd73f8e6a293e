package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.fs.FsV1Manager;
import dev.jrunc.cgroups.fs.FsV2Manager;
import dev.jrunc.cgroups.systemd.Property;
import dev.jrunc.cgroups.systemd.SystemdAnnotations;
import dev.jrunc.cgroups.systemd.SystemdManager;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.sys.Syscalls;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a {@link CgroupManager} comes from: chosen at create, rebuilt from state.json after. */
public final class CgroupManagers {
    private CgroupManagers() {}

    /**
     * The manager of a container being created: the cgroupfs driver of this host's kind (v1 when
     * any v1 hierarchy has a resource controller, else v2), its directories where
     * {@code linux.cgroupsPath} says (rootless without one: under the caller's own cgroup, as runc).
     */
    public static CgroupManager forCreate(Syscalls sys, CgroupHierarchies host, String cgroupsPath, String id, boolean rootless)
            throws JruncException {
        return forCreate(sys, host, cgroupsPath, id, rootless, false, Map.of());
    }

    /**
     * {@link #forCreate(Syscalls, CgroupHierarchies, String, String, boolean)}, or with
     * {@code systemd} ({@code --systemd-cgroup}) the systemd driver: a transient unit named by
     * a {@code slice:prefix:name} cgroupsPath, with the unit properties the config's
     * {@code org.systemd.property.*} annotations ask for (refused in runc's words before anything
     * is made; ignored by the cgroupfs driver, as runc).
     */
    public static CgroupManager forCreate(Syscalls sys, CgroupHierarchies host, String cgroupsPath, String id, boolean rootless,
            boolean systemd, Map<String, String> annotations) throws JruncException {
        if (systemd) {
            List<Property> extra = SystemdAnnotations.properties(annotations);
            return SystemdManager.forCreate(sys, host, cgroupsPath, id, rootless, extra);
        }
        boolean explicit = cgroupsPath != null && !cgroupsPath.isEmpty();
        Map<String, Path> dirs = host.paths(rootless && !explicit ? id : cgroupsPath, id);
        if (ResourcesWriter.v1(host.mounts())) {
            return new FsV1Manager(host, host.rmdir(), dirs, rootless, explicit, false);
        }
        return new FsV2Manager(sys, host, host.rmdir(), dirs, rootless, explicit, false);
    }

    /**
     * The manager of an existing container, the driver its state.json names, over the
     * directories it records; it does not read the host's hierarchies (kill, delete and update
     * stay cheap) and never makes anything.
     */
    public static CgroupManager forRecord(Syscalls sys, ContainerRecord record, CgroupHierarchies.Rmdir rmdir) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        record.cgroupPaths().forEach((k, v) -> dirs.put(k, Path.of(v)));
        CgroupDriver driver = CgroupDriver.of(record.cgroupDriver(), record.cgroupPaths());
        return switch (driver) {
            case FS_V1 -> new FsV1Manager(null, rmdir, dirs, record.rootless(), true, true);
            case FS_V2 -> new FsV2Manager(sys, null, rmdir, dirs, record.rootless(), true, true);
            case SYSTEMD_V1, SYSTEMD_V2 -> SystemdManager.forRecord(sys, driver.v2(), record.rootless(), dirs, rmdir);
        };
    }
}
