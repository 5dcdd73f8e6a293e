package dev.jrunc.runtime;

import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;

/**
 * Reaps a child jrunc has killed or that is about to exit, waiting a bounded time: a process
 * SIGKILLed in a frozen v1 cgroup does not die until the cgroup is thawed, and a blocking
 * waitpid would then hang the command forever.
 */
final class Reaper {
    static final long TIMEOUT_MS = 10_000;

    private Reaper() {}

    /** True when {@code pid} was reaped (or is not our child); false when it still ran after the bound. */
    static boolean reap(Syscalls sys, int pid) {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        long sleepMs = 1;
        try {
            while (sys.waitpid(pid, true) == -1) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(sleepMs);
                sleepMs = Math.min(50, sleepMs * 2);
            }
            return true;
        } catch (ErrnoException e) {
            return true; // already reaped, or not our child: nothing to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
