package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.nio.charset.StandardCharsets;

/**
 * jrunc's end of the init's sync socket (SOCK_SEQPACKET, one ASCII message per datagram; see
 * src/main/c/init/PLAN.md): {@code pid N}, {@code continue}, {@code console} (with the pty master
 * attached), {@code ready}, {@code error TEXT}.
 */
final class SyncChannel implements AutoCloseable {
    private static final int MAX_MESSAGE = 4096;
    private final Syscalls sys;
    private final int fd;

    SyncChannel(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
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
        Syscalls.Message msg;
        try {
            msg = sys.recvMessage(fd, MAX_MESSAGE);
        } catch (ErrnoException e) {
            throw new JruncException("cannot read from the init: " + e.getMessage(), e);
        }
        String text = new String(msg.data(), StandardCharsets.UTF_8);
        if (msg.fd() >= 0 && text.equals("console")) {
            return msg.fd();
        }
        if (msg.fd() >= 0) {
            try {
                sys.close(msg.fd());
            } catch (ErrnoException e) {
                // nothing to undo
            }
        }
        check(text, "console");
        throw new JruncException("init sent \"console\" without the pty master");
    }

    void expectReady() throws JruncException {
        receive("ready");
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
        byte[] data;
        try {
            data = sys.read(fd, MAX_MESSAGE);
        } catch (ErrnoException e) {
            throw new JruncException("cannot read from the init: " + e.getMessage(), e);
        }
        String msg = new String(data, StandardCharsets.UTF_8);
        check(msg, expected);
        return msg;
    }

    private static void check(String msg, String expected) throws JruncException {
        if (msg.isEmpty()) {
            throw new JruncException("container init exited before it reported \"" + expected + "\"");
        }
        if (msg.startsWith("error ")) {
            throw new JruncException(msg.substring("error ".length()));
        }
        if (!msg.equals(expected) && !msg.startsWith(expected + " ")) {
            throw new JruncException("init sent \"" + msg + "\" where \"" + expected + "\" was due");
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
