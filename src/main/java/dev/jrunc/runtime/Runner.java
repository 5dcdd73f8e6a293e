package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;

/**
 * {@code run} in the foreground: the container's init is a child of this process (jrunc-init
 * clones it with CLONE_PARENT), so it is waited for here while the signals jrunc receives are
 * forwarded to it, as runc does. The result is runc's exit status: the process's code, or
 * 128+N when a signal N killed it.
 */
public final class Runner {
    /** What runc forwards (every catchable signal an interactive user sends). SIGWINCH is not forwarded: runc resizes the pty instead. */
    private static final String[] FORWARDED = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "CONT", "TSTP", "TTIN", "TTOU"};

    private final Syscalls sys;

    public Runner(Syscalls sys) {
        this.sys = sys;
    }

    public int waitForExit(int pid) throws JruncException {
        return waitForExit(pid, null);
    }

    /** Same; {@code onWinch} (may be null) runs on each SIGWINCH (the pty's resize). */
    public int waitForExit(int pid, Runnable onWinch) throws JruncException {
        List<Signal> installed = new ArrayList<>();
        if (onWinch != null) {
            try {
                Signal winch = new Signal("WINCH");
                Signal.handle(winch, s -> onWinch.run());
                installed.add(winch);
            } catch (IllegalArgumentException e) {
                // the VM keeps SIGWINCH: the pty keeps its first size
            }
        }
        for (String name : FORWARDED) {
            try {
                Signal signal = new Signal(name);
                Signal.handle(signal, s -> forward(pid, s.getNumber()));
                installed.add(signal);
            } catch (IllegalArgumentException e) {
                // the VM keeps this signal for itself: it is not forwarded
            }
        }
        try {
            int status = sys.waitpid(pid, false);
            return exitCode(status);
        } catch (ErrnoException e) {
            throw new JruncException("cannot wait for the container: " + e.getMessage(), e);
        } finally {
            for (Signal s : installed) {
                try {
                    Signal.handle(s, sun.misc.SignalHandler.SIG_DFL);
                } catch (IllegalArgumentException e) {
                    // nothing to restore
                }
            }
        }
    }

    private void forward(int pid, int signal) {
        try {
            sys.kill(pid, signal);
        } catch (ErrnoException e) {
            // the container is already gone
        }
    }

    /** A wait(2) status as a shell reports it. */
    static int exitCode(int status) {
        int termSig = status & 0x7f;
        if (termSig == 0) {
            return (status >> 8) & 0xff;
        }
        return 128 + termSig;
    }
}
