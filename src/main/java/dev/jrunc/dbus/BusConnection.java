package dev.jrunc.dbus;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A D-Bus client connection over a Unix domain socket: SASL {@code EXTERNAL} authentication,
 * {@code Hello} on a bus daemon, method calls and signals. Every read has a deadline (a
 * non-blocking channel and a selector); nothing here waits without a bound.
 */
public final class BusConnection implements AutoCloseable {
    private static final int MAX_AUTH_LINE = 4096;

    private final SocketChannel channel;
    private final Selector selector;
    private final Deque<Message> signals = new ArrayDeque<>();
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private long serial;

    private BusConnection(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /**
     * Connects to {@code socket}, authenticates as {@code uid} (the uid the peer sees through
     * SO_PEERCRED), and, when {@code bus} is true (a bus daemon, not a direct peer), says Hello.
     */
    public static BusConnection open(java.nio.file.Path socket, long uid, boolean bus, long timeoutMillis)
            throws DBusException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        SocketChannel ch = null;
        Selector sel = null;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
            BusConnection c = new BusConnection(ch, sel);
            c.authenticate(uid, deadline);
            if (bus) {
                c.call(Message.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", ""),
                        deadline);
            }
            return c;
        } catch (IOException e) {
            closeQuietly(ch, sel);
            throw new DBusException("cannot connect to " + socket + ": " + dev.jrunc.sys.IoErrors.reason(e));
        } catch (DBusException | RuntimeException e) {
            closeQuietly(ch, sel);
            throw e;
        }
    }

    /**
     * SASL EXTERNAL with BEGIN in the same write, before the server's OK, as sd-bus's own client
     * does. Sent after the OK, BEGIN may reach the server in one read with the first message that
     * follows it; sd-bus's server (systemd 252 on /run/systemd/private) takes BEGIN but leaves
     * the rest of that read unparsed until more bytes arrive, and none do while the client waits
     * for its reply: the first call then timed out now and then (a race, hidden by strace).
     * Pipelined, BEGIN is read before the OK is written, so the first message always comes in a
     * read of its own. A server that refuses the AUTH answers BEGIN with ERROR; the first line
     * is the verdict either way.
     */
    private void authenticate(long uid, long deadline) throws IOException, DBusException {
        String hex = HexFormat.of().formatHex(Long.toString(uid).getBytes(StandardCharsets.US_ASCII));
        send(("\0AUTH EXTERNAL " + hex + "\r\nBEGIN\r\n").getBytes(StandardCharsets.US_ASCII));
        String reply = readLine(deadline);
        if (!reply.startsWith("OK ")) {
            throw new DBusException("D-Bus authentication refused: " + reply);
        }
    }

    /** Sends {@code m} and returns its reply; an error reply is thrown as a {@link DBusException}. */
    public Message call(Message m, long deadline) throws DBusException {
        long s = ++serial;
        try {
            send(m.withSerial(s).encode());
        } catch (IOException e) {
            throw new DBusException("D-Bus write failed: " + dev.jrunc.sys.IoErrors.reason(e));
        }
        while (true) {
            Message r = receive(deadline);
            if (r.type() == Message.SIGNAL) {
                signals.add(r);
            } else if (r.replySerial() == s) {
                if (r.type() == Message.ERROR) {
                    Object text = r.body().isEmpty() ? r.errorName() : r.body().getFirst();
                    throw new DBusException(r.errorName(), String.valueOf(text));
                }
                return r;
            }
        }
    }

    /** The first signal (queued while waiting for replies, or arriving before the deadline) that {@code match} accepts. */
    public Message awaitSignal(Predicate<Message> match, long deadline) throws DBusException {
        for (Iterator<Message> it = signals.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (match.test(m)) {
                it.remove();
                return m;
            }
        }
        while (true) {
            Message m = receive(deadline);
            if (m.type() == Message.SIGNAL && match.test(m)) {
                return m;
            }
        }
    }

    /** The signals received so far and not consumed. */
    List<Message> queuedSignals() {
        return List.copyOf(signals);
    }

    private Message receive(long deadline) throws DBusException {
        try {
            byte[] head = readExactly(16, deadline);
            int total = Message.totalSize(head);
            byte[] rest = readExactly(total - 16, deadline);
            byte[] all = new byte[total];
            System.arraycopy(head, 0, all, 0, 16);
            System.arraycopy(rest, 0, all, 16, rest.length);
            return Message.decode(all);
        } catch (IOException e) {
            throw new DBusException("D-Bus read failed: " + dev.jrunc.sys.IoErrors.reason(e));
        }
    }

    private String readLine(long deadline) throws IOException, DBusException {
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_AUTH_LINE) {
            byte b = readExactly(1, deadline)[0];
            if (b == '\n') {
                return line.toString().strip();
            }
            line.append((char) b);
        }
        throw new DBusException("D-Bus authentication line too long");
    }

    private byte[] readExactly(int n, long deadline) throws IOException, DBusException {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            if (pending.hasRemaining()) {
                int k = Math.min(n - got, pending.remaining());
                pending.get(out, got, k);
                got += k;
                continue;
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.max(4096, n - got));
            int r = channel.read(buf);
            if (r < 0) {
                throw new DBusException("D-Bus connection closed by the peer");
            }
            if (r == 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new DBusException("timed out waiting for D-Bus");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                continue;
            }
            buf.flip();
            pending = buf;
        }
        return out;
    }

    private void send(byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        // a Unix socket's send buffer holds our small messages; a full one is a stuck peer
        int spins = 0;
        while (b.hasRemaining()) {
            if (channel.write(b) == 0 && ++spins > 1000) {
                throw new IOException("D-Bus peer does not read");
            }
            if (b.hasRemaining()) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(channel, selector);
    }

    private static void closeQuietly(SocketChannel ch, Selector sel) {
        try {
            if (sel != null) {
                sel.close();
            }
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            // closing: nothing to report
        }
    }
}
