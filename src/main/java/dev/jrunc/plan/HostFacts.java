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
 * @param setgroupsAllowed whether setgroups(2) may be called (false in a user namespace with setgroups denied)
 * @param cgroupMounts    the host's cgroup hierarchies, as {@link #probeCgroups()} finds them
 */
public record HostFacts(Path bundle, Path rootfs, boolean noPivot, boolean consoleSocket, int execFifoFd,
                        int preserveFds, boolean setgroupsAllowed, List<CgroupMount> cgroupMounts) {

    public HostFacts {
        cgroupMounts = List.copyOf(cgroupMounts);
    }

    /**
     * One mounted cgroup hierarchy of the host.
     *
     * @param name   its directory under /sys/fs/cgroup ({@code "cpu,cpuacct"}, {@code "unified"}),
     *               empty for a pure cgroup v2 host where the hierarchy is /sys/fs/cgroup itself
     * @param fstype {@code cgroup} or {@code cgroup2}
     * @param data   the mount data that selects the hierarchy ({@code "cpu,cpuacct"}, {@code "name=systemd"})
     */
    public record CgroupMount(String name, String fstype, String data) {}

    private static final Set<String> V1_NOISE = Set.of("rw", "ro", "xattr", "noprefix", "clone_children", "cpuset_v2_mode", "favordynmods");

    /** The cgroup hierarchies mounted under /sys/fs/cgroup, from /proc/self/mountinfo. */
    public static List<CgroupMount> probeCgroups() throws IOException {
        return parseCgroups(Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    static List<CgroupMount> parseCgroups(List<String> mountinfo) {
        List<CgroupMount> out = new ArrayList<>();
        for (String line : mountinfo) {
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (dash < 0 || fields.length < dash + 4) {
                continue;
            }
            String point = fields[4];
            String fstype = fields[dash + 1];
            String name;
            if (point.equals("/sys/fs/cgroup")) {
                name = "";
            } else if (point.startsWith("/sys/fs/cgroup/") && point.indexOf('/', "/sys/fs/cgroup/".length()) < 0) {
                name = point.substring("/sys/fs/cgroup/".length());
            } else {
                continue;
            }
            if (fstype.equals("cgroup2")) {
                out.add(new CgroupMount(name, fstype, ""));
            } else if (fstype.equals("cgroup")) {
                List<String> data = new ArrayList<>();
                for (String opt : fields[dash + 3].split(",")) {
                    if (!V1_NOISE.contains(opt) && !opt.startsWith("release_agent=")) {
                        data.add(opt);
                    }
                }
                out.add(new CgroupMount(name, fstype, String.join(",", data)));
            }
        }
        return out;
    }
}
