package dev.jrunc.plan;

import java.util.Set;

/**
 * runc's checkProcMount, on the destinations as the config writes them: a mount inside the
 * container's /proc is refused (it could cover a procfs file the runtime writes or masks, or
 * give the container a writable copy of one), except the files lxcfs emulates; at /proc itself
 * only a procfs. Checked while the plan is compiled, before anything is made; jrunc-init checks
 * the same rule again on the path a mount really lands on (a rootfs symlink such as
 * {@code /dev/pts -> /proc/sys/kernel}), with the same text. A bind mount at /proc is left to
 * the init, which looks at its source (runc allows the bind of a procfs).
 */
final class ProcMountRule {
    /** The lxcfs files runc lets a mount cover (runc 1.2's list). */
    static final Set<String> LXCFS_FILES = Set.of(
            "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
            "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
            "/proc/sys/crypto/fips_enabled");

    private ProcMountRule() {}

    /**
     * @param source the mount's source as the config gives it
     * @param destination the destination as the config gives it (for the message)
     * @param dest the destination cleaned ({@link PlanCompiler#cleanPath})
     * @param rootfs the rootfs's host path (runc's message names the host path)
     */
    static void check(String source, String destination, String dest, String type, boolean bind, String rootfs)
            throws PlanException {
        if (!dest.equals("/proc") && !dest.startsWith("/proc/")) {
            return;
        }
        String prefix = "error mounting \"" + (source == null ? "" : source) + "\" to rootfs at \"" + destination
                + "\": \"" + (rootfs.equals("/") ? "" : rootfs) + dest + "\" cannot be mounted because it is ";
        if (dest.equals("/proc")) {
            if (type.equals("proc") || bind) {
                return;
            }
            throw new PlanException(prefix + "not of type proc");
        }
        if (!LXCFS_FILES.contains(dest)) {
            throw new PlanException(prefix + "inside /proc");
        }
    }
}
