package dev.jrunc.cgroups;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mounted cgroup hierarchy, as /proc/self/mountinfo lists it.
 *
 * @param mountPoint where it is mounted (e.g. {@code /sys/fs/cgroup/memory})
 * @param root the cgroup of the hierarchy that is at the mount point ({@code /} on the host)
 * @param version 1 or 2
 * @param controllers v1: its controllers and {@code name=} option (e.g. {@code cpu,cpuacct},
 *     {@code name=systemd}); v2: empty
 */
public record CgroupMount(Path mountPoint, String root, int version, Set<String> controllers) {

    /** The key naming this hierarchy in state and in /proc/PID/cgroup: {@code cpu,cpuacct}, {@code name=systemd}, {@code unified}. */
    /** The key of the cgroup2 hierarchy (in state.json's cgroupPaths, as runc's). */
    public static final String UNIFIED = "unified";

    public String key() {
        return version == 2 ? UNIFIED : String.join(",", new TreeSet<>(controllers));
    }

    /** Every cgroup and cgroup2 mount of a mountinfo text, in order; a hierarchy mounted twice is listed once. */
    public static List<CgroupMount> parse(String mountinfo) {
        List<CgroupMount> mounts = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                continue;
            }
            String fstype = post[0];
            if (!fstype.equals("cgroup") && !fstype.equals("cgroup2")) {
                continue;
            }
            Set<String> controllers = new TreeSet<>();
            if (fstype.equals("cgroup")) {
                for (String opt : post[2].split(",")) {
                    if (KNOWN_V1.contains(opt) || opt.startsWith("name=")) {
                        controllers.add(opt);
                    }
                }
                if (controllers.isEmpty()) {
                    continue;
                }
            }
            CgroupMount m = new CgroupMount(Path.of(unescape(pre[4])), unescape(pre[3]), fstype.equals("cgroup2") ? 2 : 1,
                    Set.copyOf(controllers));
            if (seen.add(m.key())) {
                mounts.add(m);
            }
        }
        return mounts;
    }

    private static final Set<String> KNOWN_V1 = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
