package dev.jrunc.runtime;

import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;

/**
 * Waits for a child to exit and reaps it, within a bound: a process SIGKILLed in a frozen v1
 * cgroup does not die until the cgroup is thawed, and a blocking waitpid would then hang the
 * command forever. The one bounded waitpid loop of jrunc ({@link ExitWaiter} too).
 */
final class Reaper {
    static final long TIMEOUT_MS = 10_000;
    private static final long MAX_SLEEP_MS = 50;

    private Reaper() {}

    /**
     * The wait status of {@code pid} once it has exited and is reaped, or -1 when it still runs
     * after {@code timeoutMs}; non-blocking waitpid with a back-off of 1 ms doubling to 50 ms.
     */
    static int await(Syscalls sys, int pid, long timeoutMs) throws ErrnoException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        long sleepMs = 1;
        int status;
        while ((status = sys.waitpid(pid, true)) == -1) {
            if (System.nanoTime() - deadline >= 0) {
                return -1;
            }
            Thread.sleep(sleepMs);
            sleepMs = Math.min(MAX_SLEEP_MS, sleepMs * 2);
        }
        return status;
    }

    /** True when {@code pid} was reaped (or is not our child); false when it still ran after {@link #TIMEOUT_MS}. */
    static boolean reap(Syscalls sys, int pid) {
        try {
            return await(sys, pid, TIMEOUT_MS) != -1;
        } catch (ErrnoException e) {
            return true; // already reaped, or not our child: nothing to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
