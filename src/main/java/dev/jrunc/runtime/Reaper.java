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
    private static final long MAX_SLEEP_NS = 50_000_000;
    /** The first pause: a child that is about to exit (create's intermediate init) is usually gone after it. */
    private static final long FIRST_SLEEP_NS = 100_000;

    private Reaper() {}

    /**
     * The wait status of {@code pid} once it has exited and is reaped, or -1 when it still runs
     * after {@code timeoutMs}; non-blocking waitpid with a back-off of 0.1 ms doubling to 50 ms.
     */
    static int await(Syscalls sys, int pid, long timeoutMs) throws ErrnoException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        long sleepNs = FIRST_SLEEP_NS;
        int status;
        while ((status = sys.waitpid(pid, true)) == -1) {
            if (System.nanoTime() - deadline >= 0) {
                return -1;
            }
            Thread.sleep(sleepNs / 1_000_000, (int) (sleepNs % 1_000_000));
            sleepNs = Math.min(MAX_SLEEP_NS, sleepNs * 2);
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
