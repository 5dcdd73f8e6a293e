package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.time.Duration;

/**
 * Waits, within a bound, for a container's process that is a child of this process (jrunc-init
 * clones it with CLONE_PARENT, so the program that created the container is its parent) and
 * reaps it: its exit status as a shell reports it (128+N for signal N).
 */
public final class ExitWaiter {
    private static final long POLL_MS = 20;

    private final Syscalls sys;

    public ExitWaiter(Syscalls sys) {
        this.sys = sys;
    }

    public int await(String id, int pid, Duration timeout) throws JruncException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int status;
            try {
                status = sys.waitpid(pid, true);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ECHILD) {
                    throw new JruncException("cannot wait for container " + id + ": its process " + pid
                            + " is not a child of this process (or was already waited for)", e);
                }
                throw new JruncException("cannot wait for container " + id + ": " + e.getMessage(), e);
            }
            if (status != -1) {
                return Runner.exitCode(status);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new JruncException("container " + id + " did not exit within " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JruncException("interrupted while waiting for container " + id, e);
            }
        }
    }
}
