package dev.jrunc.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Pays the kernel's wait for the first cgroup migration while jrunc does other work.
 *
 * <p>Every write to a {@code cgroup.procs} file takes the kernel's global
 * {@code cgroup_threadgroup_rwsem} for writing, and the first writer after a quiet period
 * waits for an RCU grace period ({@code rcu_sync_enter}): 6-20 ms on the development VM, the
 * largest single wait of a {@code run} (docs/performance.md). Writers that come while the
 * semaphore is still in its writer mode (about one grace period after the last writer) do not
 * wait. So create and exec start, on a thread of their own, a migration that changes nothing:
 * jrunc's own pid written into the cgroup it is already in. That thread waits out the grace
 * period while the main thread reads and checks the config and launches the init; the
 * container's real join then finds the semaphore ready.
 *
 * <p>Best effort and harmless: the kernel moves nothing (the task is already in that cgroup),
 * any failure (not root, no such file, a cgroup v2 root with children) is ignored, and only
 * the time of the real join changes. Hosts mounted with {@code favordynmods} have no such wait.
 */
public final class MigrationWarmup {
    private static final Path PROC_SELF_CGROUP = Path.of("/proc/self/cgroup");
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private MigrationWarmup() {
    }

    /** Starts the no-op migration of this process on a daemon thread; returns at once. */
    public static void start(int pid) {
        Thread.ofPlatform().name("jrunc-cgroup-warmup").daemon().start(() -> migrateInPlace(pid));
    }

    /** Writes {@code pid} into its own cgroup's cgroup.procs: the file written, or null. */
    static Path migrateInPlace(int pid) {
        try {
            String self = Files.readString(PROC_SELF_CGROUP, StandardCharsets.UTF_8);
            byte[] text = Integer.toString(pid).getBytes(StandardCharsets.US_ASCII);
            for (Path procs : candidates(self)) {
                try {
                    Files.write(procs, text, StandardOpenOption.WRITE); // never created: a hybrid host's /sys/fs/cgroup is a tmpfs
                    return procs;
                } catch (IOException | RuntimeException e) {
                    // the next hierarchy may do; the semaphore is global to all of them
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/self/cgroup: nothing to warm up
        }
        return null;
    }

    /**
     * The {@code cgroup.procs} files of this process's own cgroups, from /proc/self/cgroup: the
     * unified hierarchy first (at /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host),
     * then each v1 hierarchy at /sys/fs/cgroup/CONTROLLERS.
     */
    static List<Path> candidates(String procSelfCgroup) {
        List<Path> unified = new ArrayList<>();
        List<Path> v1 = new ArrayList<>();
        for (java.util.Map.Entry<String, String> e : CgroupPaths.parseProcCgroup(procSelfCgroup).entrySet()) {
            String key = e.getKey();
            if (!e.getValue().startsWith("/")) {
                continue;
            }
            String rel = e.getValue().substring(1);
            if (key.equals(CgroupMount.UNIFIED)) {
                unified.add(CGROUP_ROOT.resolve(rel).resolve("cgroup.procs"));
                unified.add(CGROUP_ROOT.resolve("unified").resolve(rel).resolve("cgroup.procs"));
            } else if (!key.contains("/") && !key.startsWith(".")) {
                String dir = key.startsWith("name=") ? key.substring("name=".length()) : key;
                v1.add(CGROUP_ROOT.resolve(dir).resolve(rel).resolve("cgroup.procs"));
            }
        }
        unified.addAll(v1);
        return unified;
    }
}
