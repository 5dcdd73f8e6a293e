package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.sys.Syscalls;

/**
 * What {@code run} does between {@code start} and the container's exit, beyond waiting: the
 * pty proxy (process.terminal in the foreground) and the NOTIFY_SOCKET relay.
 */
public final class RunSession implements AutoCloseable {
    private final Syscalls sys;
    private final int pid;
    private final int master;
    private final int notifySocket;
    private final String notifyHost;
    private TerminalProxy proxy;
    private Thread relay;

    /** {@code master}, {@code notifySocket}: -1 for none; both are closed by {@link #close}. */
    public RunSession(Syscalls sys, int pid, int master, int notifySocket, String notifyHost) {
        this.sys = sys;
        this.pid = pid;
        this.master = master;
        this.notifySocket = notifySocket;
        this.notifyHost = notifyHost;
    }

    /**
     * {@code run -d}: as runc, with NOTIFY_SOCKET waits until the container is READY (relayed
     * with MAINPID = its pid) or gone. Relay failures are ignored, as runc ignores them.
     */
    public void relayDetached() {
        if (notifySocket >= 0 && notifyHost != null) {
            try {
                NotifySocket.relay(sys, notifySocket, notifyHost, pid, pid);
            } catch (JruncException e) {
                // runc: _ = h.notifySocket.run(pid1)
            }
        }
    }

    /**
     * The pty proxy, before the process starts (runc's recvtty runs during create): ONLCR is
     * off and the host console raw before the process writes anything. Idempotent.
     */
    public void startTerminal() {
        if (master >= 0 && proxy == null) {
            proxy = new TerminalProxy(sys, master);
            proxy.start();
        }
    }

    /**
     * In the foreground: the pty proxy runs, READY is relayed (MAINPID = jrunc's own pid, as
     * runc) in the background, signals are forwarded; the container's exit status.
     */
    public int waitForExit() throws JruncException {
        startTerminal();
        if (notifySocket >= 0 && notifyHost != null) {
            int self = sys.getpid();
            relay = Thread.ofPlatform().name("jrunc-notify").daemon().start(() -> {
                try {
                    NotifySocket.relay(sys, notifySocket, notifyHost, pid, self);
                } catch (JruncException e) {
                    // as runc: relay failures do not fail the run
                }
            });
        }
        return new Runner(sys).waitForExit(pid, proxy == null ? null : proxy::resize);
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.finish();
        } else if (master >= 0) {
            NotifySocket.closeQuietly(sys, master);
        }
        if (relay != null) {
            relay.interrupt();
            try {
                relay.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (notifySocket >= 0 && (relay == null || !relay.isAlive())) {
            NotifySocket.closeQuietly(sys, notifySocket);
        }
    }
}
