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
    private final Syscalls sys;

    public ExitWaiter(Syscalls sys) {
        this.sys = sys;
    }

    public int await(String id, int pid, Duration timeout) throws JruncException {
        int status;
        try {
            status = Reaper.await(sys, pid, timeout.toMillis());
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ECHILD) {
                throw new JruncException("cannot wait for container " + id + ": its process " + pid
                        + " is not a child of this process (or was already waited for)", e);
            }
            throw new JruncException("cannot wait for container " + id + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while waiting for container " + id, e);
        }
        if (status == -1) {
            throw new JruncException("container " + id + " did not exit within " + timeout.toMillis() + " ms");
        }
        return Runner.exitCode(status);
    }
}
