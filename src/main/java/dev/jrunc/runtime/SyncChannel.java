package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.nio.charset.StandardCharsets;

/**
 * jrunc's end of the init's sync socket (SOCK_SEQPACKET, one ASCII message per datagram; see
 * src/main/c/init/PLAN.md): {@code pid N}, {@code continue}, {@code hooks}, {@code console}
 * (with the pty master attached), {@code ready}, {@code error TEXT}, and {@code seccomp}
 * carrying the seccomp listener fd (SCM_RIGHTS) before {@code ready}.
 */
final class SyncChannel implements AutoCloseable {
    private static final int MAX_MESSAGE = 4096;
    /**
     * How long one message may take. Every step of the init is short (its mounts, and its
     * createContainer hooks, which have their own timeouts); an init that says nothing for this
     * long is stuck (a cgroup frozen under it, a hung mount) and create fails and cleans up
     * rather than wait forever.
     */
    static final long DEFAULT_TIMEOUT_MS = 120_000;
    private static final int POLL_SLICE_MS = 1000;
    private final Syscalls sys;
    private final int fd;
    private final long timeoutMs;

    SyncChannel(Syscalls sys, int fd) {
        this(sys, fd, DEFAULT_TIMEOUT_MS);
    }

    SyncChannel(Syscalls sys, int fd, long timeoutMs) {
        this.sys = sys;
        this.fd = fd;
        this.timeoutMs = timeoutMs;
    }

    /** The container's pid from {@code pid N}. */
    int expectPid() throws JruncException {
        String msg = receive("pid");
        try {
            return Integer.parseInt(msg.substring("pid ".length()).trim());
        } catch (RuntimeException e) {
            throw new JruncException("init sent a malformed message: " + msg);
        }
    }

    /**
     * The pty master from {@code console} (sent with SCM_RIGHTS, process.terminal). Anything
     * else, or the message without an fd, is a failure.
     */
    int expectConsole() throws JruncException {
        Syscalls.Message m = receiveMessage("console");
        String text = new String(m.data(), StandardCharsets.UTF_8);
        if (m.fd() >= 0 && text.equals("console")) {
            return m.fd();
        }
        closeQuietly(m.fd());
        check(text, "console");
        throw new JruncException("init sent \"console\" without the pty master");
    }

    /** The init stopped for the prestart and createRuntime hooks (sync_hooks). */
    void expectHooks() throws JruncException {
        receive("hooks");
    }

    void expectReady() throws JruncException {
        expectReady(null);
    }

    /** What to do with the seccomp listener fd the init sends before "ready"; the channel closes it afterwards. */
    @FunctionalInterface
    interface ListenerHandler {
        void accept(int fd) throws JruncException;
    }

    /**
     * Waits for {@code ready}; a {@code seccomp} message before it (the listener fd of a filter
     * with SCMP_ACT_NOTIFY) goes to {@code listener}, and is an error when there is none.
     */
    void expectReady(ListenerHandler listener) throws JruncException {
        for (;;) {
            Syscalls.Message m = receiveMessage("ready");
            String msg = new String(m.data(), StandardCharsets.UTF_8);
            if (!msg.equals("seccomp")) {
                closeQuietly(m.fd());
                check(msg, "ready");
                return;
            }
            try {
                if (m.fd() < 0) {
                    throw new JruncException("init sent \"seccomp\" without the listener fd");
                }
                if (listener == null) {
                    throw new JruncException("seccomp listenerPath is not set");
                }
                listener.accept(m.fd());
            } finally {
                closeQuietly(m.fd());
            }
        }
    }

    void sendContinue() throws JruncException {
        try {
            sys.write(fd, "continue".getBytes(StandardCharsets.US_ASCII));
        } catch (ErrnoException e) {
            throw new JruncException("cannot signal the init: " + e.getMessage(), e);
        }
    }

    /** Reads one message; {@code error TEXT} becomes the failure TEXT, EOF "init exited". */
    private String receive(String expected) throws JruncException {
        Syscalls.Message m = receiveMessage(expected);
        closeQuietly(m.fd()); // only "console" and "seccomp" carry an fd
        return check(new String(m.data(), StandardCharsets.UTF_8), expected);
    }

    private Syscalls.Message receiveMessage(String expected) throws JruncException {
        Syscalls.Message m;
        try {
            awaitMessage(expected);
            m = sys.recvMessage(fd, MAX_MESSAGE);
        } catch (ErrnoException e) {
            throw new JruncException("cannot read from the init: " + e.getMessage(), e);
        }
        if (m.data().length == 0) {
            closeQuietly(m.fd());
            throw new JruncException("container init exited before it reported \"" + expected + "\"");
        }
        return m;
    }

    /** Waits, at most the channel's timeout, until a message (or EOF) can be read. */
    private void awaitMessage(String expected) throws ErrnoException, JruncException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (;;) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new JruncException("container init did not report \"" + expected + "\" within " + timeoutMs / 1000
                        + "s");
            }
            if (sys.poll(fd, Syscalls.POLLIN, (int) Math.min(POLL_SLICE_MS, left)) != 0) {
                return; // a message, EOF (POLLHUP) or an error: recvmsg says which
            }
        }
    }

    private String check(String msg, String expected) throws JruncException {
        if (msg.startsWith("error ")) {
            throw new JruncException(msg.substring("error ".length()));
        }
        if (!msg.equals(expected) && !msg.startsWith(expected + " ")) {
            throw new JruncException("init sent \"" + msg + "\" where \"" + expected + "\" was due");
        }
        return msg;
    }

    private void closeQuietly(int other) {
        if (other >= 0) {
            try {
                sys.close(other);
            } catch (ErrnoException e) {
                // nothing to undo
            }
        }
    }

    @Override
    public void close() {
        try {
            sys.close(fd);
        } catch (ErrnoException e) {
            // nothing to undo
        }
    }
}
