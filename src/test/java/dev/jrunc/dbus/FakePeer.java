package dev.jrunc.dbus;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A D-Bus peer for tests on a Unix socket: accepts one client, answers the SASL EXTERNAL
 * exchange, then hands each message to a handler and sends back what it returns (replies,
 * signals, in that order). It never sends anything unasked.
 */
public final class FakePeer implements AutoCloseable {
    /** The messages to send for one received message (empty: stay silent). */
    @FunctionalInterface
    public interface Handler {
        List<Message> handle(Message received);
    }

    private final ServerSocketChannel server;
    private final Thread thread;
    private final Handler handler;
    /** What the client sent, in order. */
    public final List<Message> received = new CopyOnWriteArrayList<>();
    /** The AUTH line the client sent. */
    public volatile String authLine;
    private volatile SocketChannel client;
    private long serial = 1000;

    public FakePeer(Path socket, Handler handler) throws IOException {
        this.handler = handler;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(this::serve, "fake-dbus-peer");
        thread.setDaemon(true);
        thread.start();
    }

    public static Message reply(Message call, String signature, Object... args) {
        return new Message(Message.METHOD_RETURN, 0, 0, null, null, null, null, call.serial(), null, null, signature,
                List.of(args));
    }

    public static Message error(Message call, String name, String text) {
        return new Message(Message.ERROR, 0, 0, null, null, null, name, call.serial(), null, null, "s", List.of(text));
    }

    public static Message signal(String path, String iface, String member, String signature, Object... args) {
        return new Message(Message.SIGNAL, 0, 0, path, iface, member, null, 0, null, null, signature, List.of(args));
    }

    private void serve() {
        try (SocketChannel c = server.accept()) {
            client = c;
            String nul = new String(read(c, 1), StandardCharsets.US_ASCII);
            if (!nul.equals("\0")) {
                return;
            }
            authLine = line(c);
            write(c, "OK 00112233445566778899aabbccddeeff\r\n".getBytes(StandardCharsets.US_ASCII));
            if (!line(c).equals("BEGIN")) {
                return;
            }
            while (true) {
                byte[] head = read(c, 16);
                int total = Message.totalSize(head);
                byte[] all = new byte[total];
                System.arraycopy(head, 0, all, 0, 16);
                System.arraycopy(read(c, total - 16), 0, all, 16, total - 16);
                Message m = Message.decode(all);
                received.add(m);
                for (Message out : handler.handle(m)) {
                    write(c, out.withSerial(++serial).encode());
                }
            }
        } catch (IOException | DBusException e) {
            // the client went away, or the test closed the peer
        }
    }

    private static String line(SocketChannel c) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            char ch = (char) read(c, 1)[0];
            if (ch == '\n') {
                return b.toString().strip();
            }
            b.append(ch);
        }
    }

    private static byte[] read(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new IOException("closed");
            }
        }
        return b.array();
    }

    private static void write(SocketChannel c, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        SocketChannel c = client;
        if (c != null) {
            c.close();
        }
    }
}
