package dev.jrunc.runtime;

import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.util.function.BooleanSupplier;

/**
 * A bounded wait until a process has exited: asleep on its pidfd (woken by the kernel when it
 * dies, Linux 5.3 and later), else polling every 2 ms. The process need not be jrunc's child;
 * when it is, it is reaped on the way.
 */
final class DeathWait {
    /** Longest single poll of the pidfd: {@code alive} is asked again at least this often. */
    private static final int POLL_SLICE_MS = 100;
    private static final long POLL_FALLBACK_MS = 2;

    private DeathWait() {}

    /**
     * Waits until {@code alive} says no, at most {@code timeoutMs}: true when the process is gone,
     * false when the time ran out. {@code alive} decides (it also tells a reused pid apart).
     */
    static boolean await(Syscalls sys, int pid, BooleanSupplier alive, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        int pidfd = open(sys, pid);
        try {
            while (alive.getAsBoolean()) {
                reap(sys, pid);
                long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
                if (leftMs <= 0) {
                    return false;
                }
                if (pidfd < 0 || !poll(sys, pidfd, (int) Math.min(leftMs, POLL_SLICE_MS))) {
                    Thread.sleep(Math.min(leftMs, POLL_FALLBACK_MS));
                }
            }
            return true;
        } finally {
            if (pidfd >= 0) {
                try {
                    sys.close(pidfd);
                } catch (ErrnoException e) {
                    // nothing held by it
                }
            }
        }
    }

    /** The process's pidfd, or -1 (gone already, or a kernel without pidfd_open: then polling). */
    private static int open(Syscalls sys, int pid) {
        try {
            return sys.pidfdOpen(pid);
        } catch (ErrnoException e) {
            return -1;
        }
    }

    /** One wait on the pidfd; false when poll itself failed (then the caller sleeps instead). */
    private static boolean poll(Syscalls sys, int pidfd, int timeoutMs) {
        try {
            sys.poll(pidfd, Syscalls.POLLIN, timeoutMs);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static void reap(Syscalls sys, int pid) {
        try {
            sys.waitpid(pid, true);
        } catch (ErrnoException e) {
            // not our child: its own parent reaps it
        }
    }
}
