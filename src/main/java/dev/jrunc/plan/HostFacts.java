package dev.jrunc.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the plan compiler needs to know about the host and the invocation, gathered by the caller
 * so that {@link PlanCompiler#compile} stays a pure function.
 *
 * @param bundle          absolute bundle directory (relative bind sources are resolved against it)
 * @param rootfs          absolute rootfs directory ({@code root.path} resolved against the bundle)
 * @param noPivot         {@code --no-pivot}: MS_MOVE + chroot instead of pivot_root
 * @param consoleSocket   whether a {@code --console-socket} was given
 * @param execFifoFd      the init's fd number of the exec fifo (an O_PATH fd), -1 for none
 * @param preserveFds     {@code --preserve-fds} N: fds 3..3+N-1 reach the process
 * @param setgroupsAllowed whether setgroups(2) may be called: the caller is privileged (euid 0; runc's
 *                        rule), see {@link #privileged()}
 * @param cgroupMounts    the host's cgroup hierarchies, as {@link #probeCgroups()} finds them
 */
public record HostFacts(Path bundle, Path rootfs, boolean noPivot, boolean consoleSocket, int execFifoFd,
                        int preserveFds, boolean setgroupsAllowed, List<CgroupMount> cgroupMounts) {

    public HostFacts {
        cgroupMounts = List.copyOf(cgroupMounts);
    }

    /** Whether the runtime runs privileged (euid 0), which is when setgroups(2) is allowed. */
    public boolean privileged() {
        return setgroupsAllowed;
    }

    /**
     * One mounted cgroup hierarchy of the host.
     *
     * @param name   its directory under /sys/fs/cgroup ({@code "cpu,cpuacct"}, {@code "unified"}),
     *               empty for a pure cgroup v2 host where the hierarchy is /sys/fs/cgroup itself
     * @param fstype {@code cgroup} or {@code cgroup2}
     * @param data   the mount data that selects the hierarchy ({@code "cpu,cpuacct"}, {@code "name=systemd"})
     * @param containerDir the host directory of the container's cgroup in this hierarchy (bound
     *               at /sys/fs/cgroup/NAME without a cgroup namespace), empty when not known
     */
    public record CgroupMount(String name, String fstype, String data, String containerDir) {
        public CgroupMount(String name, String fstype, String data) {
            this(name, fstype, data, "");
        }
    }

    /** The cgroup hierarchies mounted under /sys/fs/cgroup, from /proc/self/mountinfo. */
    public static List<CgroupMount> probeCgroups() throws IOException {
        return fromHierarchies(dev.jrunc.cgroups.CgroupMount.parse(Files.readString(Path.of("/proc/self/mountinfo"))));
    }

    static List<CgroupMount> parseCgroups(List<String> mountinfo) {
        return fromHierarchies(dev.jrunc.cgroups.CgroupMount.parse(String.join("\n", mountinfo)));
    }

    /**
     * The hierarchies the container's /sys/fs/cgroup shows, from those {@link
     * dev.jrunc.cgroups.CgroupMount#parse} found: each mounted at /sys/fs/cgroup or one level below.
     */
    public static List<CgroupMount> fromHierarchies(List<dev.jrunc.cgroups.CgroupMount> hierarchies) {
        return fromHierarchies(hierarchies, java.util.Map.of());
    }

    /**
     * As {@link #fromHierarchies(List)}, each with the container's cgroup directory from {@code
     * dirs} (keyed by {@link dev.jrunc.cgroups.CgroupMount#key()}).
     */
    public static List<CgroupMount> fromHierarchies(List<dev.jrunc.cgroups.CgroupMount> hierarchies,
                                                    java.util.Map<String, Path> dirs) {
        List<CgroupMount> out = new ArrayList<>();
        Path top = Path.of("/sys/fs/cgroup");
        for (dev.jrunc.cgroups.CgroupMount h : hierarchies) {
            Path point = h.mountPoint();
            String name;
            if (point.equals(top)) {
                name = "";
            } else if (top.equals(point.getParent())) {
                name = point.getFileName().toString();
            } else {
                continue;
            }
            Path dir = dirs.get(h.key());
            String containerDir = dir == null ? "" : dir.toString();
            out.add(h.version() == 2 ? new CgroupMount(name, "cgroup2", "", containerDir)
                    : new CgroupMount(name, "cgroup", h.key(), containerDir));
        }
        return out;
    }
}
