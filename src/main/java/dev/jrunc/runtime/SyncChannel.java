package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.nio.charset.StandardCharsets;

/**
 * jrunc's end of the init's sync socket (SOCK_SEQPACKET, one ASCII message per datagram; see
 * src/main/c/init/PLAN.md): {@code pid N}, {@code continue}, {@code hooks}, {@code ready}, {@code error TEXT}.
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

    /** The init stopped for the prestart and createRuntime hooks (sync_hooks). */
    void expectHooks() throws JruncException {
        receive("hooks");
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
        if (data.length == 0) {
            throw new JruncException("container init exited before it reported \"" + expected + "\"");
        }
        String msg = new String(data, StandardCharsets.UTF_8);
        if (msg.startsWith("error ")) {
            throw new JruncException(msg.substring("error ".length()));
        }
        if (!msg.equals(expected) && !msg.startsWith(expected + " ")) {
            throw new JruncException("init sent \"" + msg + "\" where \"" + expected + "\" was due");
        }
        return msg;
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
