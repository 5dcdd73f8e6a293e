package dev.jrunc.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void noSocketIsAClearError() {
        DBusException e = assertThrows(DBusException.class, () -> BusConnection.open(tmp.resolve("none"), 0, true, 1_000));
        assertTrue(e.getMessage().startsWith("cannot connect to " + tmp.resolve("none")), e.getMessage());
        assertTrue(!e.getMessage().contains("Exception"), e.getMessage());
    }
}
