package dev.jrunc.runtime;

import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;

/**
 * {@code run} in the foreground with process.terminal, as runc's tty.go: the pty master's output
 * goes to jrunc's stdout, jrunc's stdin to the master. The master has ONLCR cleared (runc's
 * ClearONLCR). The host console is the first of stderr, stdout, stdin that is a terminal, else
 * /dev/tty: it is put into raw mode while the container runs (and restored after), its size is
 * given to the pty at once and on every SIGWINCH. Without any terminal (runc refuses that:
 * {@code open /dev/tty: no such device or address}) jrunc still proxies the bytes.
 */
final class TerminalProxy {
    private static final int O_RDWR = 02;
    private static final int BUFFER = 32 * 1024;
    /** How long the output may keep flowing after the container's process exited. */
    private static final long DRAIN_MS = 5_000;

    private final Syscalls sys;
    private final int master;
    private int hostConsole = -1;
    private boolean ownsHostConsole;
    private byte[] savedAttributes;
    private Thread output;
    private Thread input;
    private volatile boolean stopping;

    TerminalProxy(Syscalls sys, int master) {
        this.sys = sys;
        this.master = master;
    }

    /** Raw mode on the host console, the first resize, and the two copying threads. */
    void start() {
        try {
            sys.clearOnlcr(master);
        } catch (ErrnoException e) {
            // the master is a terminal; nothing to do if this fails but print "\r\n"
        }
        findHostConsole();
        if (hostConsole >= 0) {
            try {
                savedAttributes = sys.tcgetattr(hostConsole);
                sys.setRaw(hostConsole);
            } catch (ErrnoException e) {
                savedAttributes = null;
            }
        }
        resize();
        output = Thread.ofPlatform().name("jrunc-tty-out").daemon().start(this::copyOutput);
        input = Thread.ofPlatform().name("jrunc-tty-in").daemon().start(this::copyInput);
    }

    private void findHostConsole() {
        for (int fd : new int[] {2, 1, 0}) {
            if (isTerminal(fd)) {
                hostConsole = fd;
                return;
            }
        }
        try {
            hostConsole = sys.open("/dev/tty", O_RDWR);
            ownsHostConsole = true;
        } catch (ErrnoException e) {
            hostConsole = -1;
        }
    }

    private boolean isTerminal(int fd) {
        try {
            sys.tcgetattr(fd);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** The host console's size onto the pty (runc's tty.resize; errors ignored as runc does). */
    void resize() {
        if (hostConsole < 0) {
            return;
        }
        try {
            int[] size = sys.getWinsize(hostConsole);
            sys.setWinsize(master, size[0], size[1]);
        } catch (ErrnoException e) {
            // the terminal went away: keep the old size
        }
    }

    private void copyOutput() {
        try {
            while (true) {
                byte[] data = sys.read(master, BUFFER);
                if (data.length == 0) {
                    return;
                }
                sys.write(1, data);
            }
        } catch (ErrnoException e) {
            // EIO: every slave fd is closed; EPIPE: nobody reads our stdout
        }
    }

    private void copyInput() {
        try {
            while (!stopping) {
                int ready = sys.poll(0, Syscalls.POLLIN, 200);
                if (ready == 0) {
                    continue;
                }
                if ((ready & Syscalls.POLLNVAL) != 0) {
                    return;
                }
                byte[] data = sys.read(0, BUFFER);
                if (data.length == 0) {
                    return; // EOF: as runc, nothing more is sent (no ^D)
                }
                sys.write(master, data);
            }
        } catch (ErrnoException e) {
            // stdin unreadable, or the master gone (EIO): nothing more to forward
        }
    }

    /** After the process exited: lets the output drain, stops the input, restores the host console, closes the master. */
    void finish() {
        stopping = true;
        if (output != null) {
            try {
                output.join(DRAIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (savedAttributes != null) {
            try {
                sys.tcsetattr(hostConsole, savedAttributes);
            } catch (ErrnoException e) {
                // the terminal went away
            }
        }
        if (ownsHostConsole) {
            NotifySocket.closeQuietly(sys, hostConsole);
        }
        if (output == null || !output.isAlive()) {
            NotifySocket.closeQuietly(sys, master);
        }
    }
}
