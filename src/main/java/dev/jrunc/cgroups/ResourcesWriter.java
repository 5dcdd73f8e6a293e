package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.v1.V1Resources;
import dev.jrunc.cgroups.v2.V2Resources;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Picks the writer of the host: v1 when any v1 hierarchy has a resource controller (hybrid
 * hosts like the development VM, whose cgroup2 has none), else v2 in the unified hierarchy.
 */
public final class ResourcesWriter {
    private ResourcesWriter() {}

    /** True when the limits go to cgroup v1 files. */
    public static boolean v1(List<CgroupMount> mounts) {
        for (CgroupMount m : mounts) {
            if (m.version() == 1 && m.controllers().stream().anyMatch(c -> !c.startsWith("name="))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the resources into the container's cgroup. {@code devices}: the config's
     * {@code linux.devices} at create (device rules are written then), null at update (left alone).
     * {@code fresh}: the directories were just made (v2 then enables the controllers along the path).
     */
    public static void apply(List<CgroupMount> mounts, Map<String, Path> dirs, Resources r, List<Device> devices, boolean fresh)
            throws JruncException {
        if (v1(mounts)) {
            new V1Resources(dirs).apply(r, devices);
            return;
        }
        Path dir = dirs.get("unified");
        if (dir == null) {
            return;
        }
        if (fresh) {
            for (CgroupMount m : mounts) {
                if (m.version() == 2) {
                    V2Resources.enableControllers(m.mountPoint(), dir);
                }
            }
        }
        new V2Resources(dir).apply(r);
    }
}
