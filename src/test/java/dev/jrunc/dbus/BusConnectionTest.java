package dev.jrunc.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusConnectionTest {
    @TempDir
    Path tmp;

    private static long deadline(long millis) {
        return System.nanoTime() + millis * 1_000_000L;
    }

    @Test
    void authenticatesWithTheHexUidAndSaysHello() throws Exception {
        try (FakePeer peer = new FakePeer(tmp.resolve("bus"), m -> List.of(FakePeer.reply(m, "s", ":1.7")));
             BusConnection c = BusConnection.open(tmp.resolve("bus"), 1000, true, 5_000)) {
            // "1000" in hex ASCII
            assertEquals("AUTH EXTERNAL 31303030", peer.authLine);
            Message hello = peer.received.getFirst();
            assertEquals("Hello", hello.member());
            assertEquals("org.freedesktop.DBus", hello.destination());
            Message r = c.call(Message.call("x.y", "/x", "x.Y", "Echo", "s", "hi"), deadline(5_000));
            assertEquals(List.of(":1.7"), r.body());
            assertEquals(List.of("hi"), peer.received.get(1).body());
        }
    }

    @Test
    void anErrorReplyCarriesItsName() throws Exception {
        try (FakePeer peer = new FakePeer(tmp.resolve("bus"),
                m -> List.of(FakePeer.error(m, "org.freedesktop.systemd1.NoSuchUnit", "Unit x.scope not loaded.")));
             BusConnection c = BusConnection.open(tmp.resolve("bus"), 0, false, 5_000)) {
            DBusException e = assertThrows(DBusException.class,
                    () -> c.call(Message.call("d", "/p", "i.I", "StopUnit", "ss", "x.scope", "replace"), deadline(5_000)));
            assertEquals("org.freedesktop.systemd1.NoSuchUnit", e.name());
            assertEquals("Unit x.scope not loaded.", e.getMessage());
        }
    }

    @Test
    void signalsBeforeTheReplyAreKeptForLater() throws Exception {
        Message sig = FakePeer.signal("/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "JobRemoved", "uoss",
                7L, new ObjectPath("/job/7"), "a.scope", "done");
        try (FakePeer peer = new FakePeer(tmp.resolve("bus"), m -> List.of(sig, FakePeer.reply(m, "o", new ObjectPath("/job/7"))));
             BusConnection c = BusConnection.open(tmp.resolve("bus"), 0, false, 5_000)) {
            Message r = c.call(Message.call("d", "/p", "i.I", "Start", ""), deadline(5_000));
            assertEquals(new ObjectPath("/job/7"), r.body().getFirst());
            Message got = c.awaitSignal(m -> new ObjectPath("/job/7").equals(m.body().get(1)), deadline(5_000));
            assertEquals("done", got.body().get(3));
        }
    }

    @Test
    void aSilentPeerIsABoundedWait() throws Exception {
        try (FakePeer peer = new FakePeer(tmp.resolve("bus"), m -> List.of());
             BusConnection c = BusConnection.open(tmp.resolve("bus"), 0, false, 5_000)) {
            DBusException e = assertThrows(DBusException.class,
                    () -> c.call(Message.call("d", "/p", "i.I", "Nothing", ""), deadline(200)));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        }
    }

    /**
     * A server that reads as sd-bus's (systemd 252's /run/systemd/private): the SASL lines from
     * whole reads; a BEGIN that comes after its OK is taken with what follows it in the same
     * read, and that rest waits, unparsed, for more bytes. The peer always plays the race's bad
     * outcome (BEGIN and the first message in one read); only a client that sent BEGIN before
     * the OK (in the AUTH write) gets its call answered.
     */
    static final class SdBusLikePeer implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Thread thread;
        volatile boolean beginWithAuth;

        SdBusLikePeer(Path socket) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(this::serve, "sd-bus-like-peer");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            try (SocketChannel c = server.accept()) {
                ByteArrayOutputStream in = new ByteArrayOutputStream();
                // one whole read at a time, as sd-bus's recvmsg into its buffer
                while (!new String(in.toByteArray(), StandardCharsets.US_ASCII).contains("\r\n")) {
                    readSome(c, in);
                }
                String auth = new String(in.toByteArray(), StandardCharsets.US_ASCII);
                beginWithAuth = auth.contains("\r\nBEGIN\r\n");
                write(c, "OK 00112233445566778899aabbccddeeff\r\n".getBytes(StandardCharsets.US_ASCII));
                in.reset();
                if (!beginWithAuth) {
                    // BEGIN after the OK: it and the first message (its 16-byte head at least)
                    // as one read; the message is parsed only when more bytes come, and none do
                    while (in.size() < "BEGIN\r\n".length() + 16) {
                        readSome(c, in);
                    }
                    while (true) {
                        readSome(c, in);
                    }
                }
                while (true) {
                    while (in.size() < 16) {
                        readSome(c, in);
                    }
                    int total = Message.totalSize(java.util.Arrays.copyOf(in.toByteArray(), 16));
                    while (in.size() < total) {
                        readSome(c, in);
                    }
                    byte[] all = in.toByteArray();
                    Message m = Message.decode(java.util.Arrays.copyOf(all, total));
                    in.reset();
                    in.write(all, total, all.length - total);
                    write(c, FakePeer.reply(m, "").withSerial(1000 + m.serial()).encode());
                }
            } catch (IOException | DBusException e) {
                // the client went away, or the test closed the peer
            }
        }

        private static void readSome(SocketChannel c, ByteArrayOutputStream in) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(4096);
            if (c.read(b) < 0) {
                throw new IOException("closed");
            }
            in.write(b.array(), 0, b.position());
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
            thread.interrupt();
        }
    }

    @Test
    void beginGoesWithTheAuthLineSoAnSdBusServerSeesTheFirstCall() throws Exception {
        // systemd's private socket answered the first call after BEGIN only now and then (the
        // clean-up of a foreground --systemd-cgroup run timed out in Subscribe)
        try (SdBusLikePeer peer = new SdBusLikePeer(tmp.resolve("private"));
             BusConnection c = BusConnection.open(tmp.resolve("private"), 0, false, 5_000)) {
            Message r = c.call(Message.call("org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                    "org.freedesktop.systemd1.Manager", "Subscribe", ""), deadline(5_000));
            assertEquals(Message.METHOD_RETURN, r.type());
            assertTrue(peer.beginWithAuth);
        }
    }

    @Test
    void noSocketIsAClearError() {
        DBusException e = assertThrows(DBusException.class, () -> BusConnection.open(tmp.resolve("none"), 0, true, 1_000));
        assertTrue(e.getMessage().startsWith("cannot connect to " + tmp.resolve("none")), e.getMessage());
        assertTrue(!e.getMessage().contains("Exception"), e.getMessage());
    }
}
