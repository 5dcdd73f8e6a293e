package dev.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import dev.jrunc.dbus.FakePeer;
import dev.jrunc.dbus.Message;
import dev.jrunc.dbus.ObjectPath;
import dev.jrunc.dbus.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd client end to end against a fake manager on a Unix socket (systemd's private socket: no bus daemon). */
class SystemdTest {
    @TempDir
    Path tmp;

    static Message jobRemoved(long id, String unit, String result) {
        return FakePeer.signal(Systemd.PATH, Systemd.MANAGER, "JobRemoved", "uoss", id,
                new ObjectPath("/org/freedesktop/systemd1/job/" + id), unit, result);
    }

    /** A manager whose jobs end with {@code result}; StartTransientUnit fails with UnitExists {@code exists} times first. */
    static FakePeer.Handler manager(String result, int exists) {
        AtomicInteger refusals = new AtomicInteger(exists);
        AtomicInteger jobs = new AtomicInteger(10);
        return m -> switch (m.member()) {
            case "StartTransientUnit", "StopUnit" -> {
                if (m.member().equals("StartTransientUnit") && refusals.getAndDecrement() > 0) {
                    yield List.of(FakePeer.error(m, Systemd.UNIT_EXISTS, "Unit " + m.body().getFirst() + " already exists."));
                }
                long id = jobs.incrementAndGet();
                // another job's signal first: only this job's counts
                yield List.of(FakePeer.reply(m, "o", new ObjectPath("/org/freedesktop/systemd1/job/" + id)),
                        jobRemoved(id + 100, "other.scope", "failed"), jobRemoved(id, (String) m.body().getFirst(), result));
            }
            case "Get" -> List.of(FakePeer.reply(m, "v", new Variant("s", "252.19-1~deb12u1")));
            default -> List.of(FakePeer.reply(m, ""));
        };
    }

    static String calls(FakePeer peer) {
        return peer.received.stream().map(Message::member).collect(Collectors.joining(","));
    }

    @Test
    void startsAScopeAndWaitsForItsJob() throws Exception {
        try (FakePeer peer = new FakePeer(tmp.resolve("private"), manager("done", 0));
             Systemd s = Systemd.over(tmp.resolve("private"), 0, false, 5_000)) {
            assertEquals(252, s.version());
            s.startUnit("jrunc-c.scope", List.of(Property.of("PIDs", "au", List.of(42L))));
            assertEquals("Get,Subscribe,StartTransientUnit", calls(peer));
            Message start = peer.received.get(2);
            assertEquals(List.of("jrunc-c.scope", "replace", List.of(List.of("PIDs", new Variant("au", List.of(42L)))), List.of()),
                    start.body());
        }
    }

    @Test
    void aLeftoverUnitIsResetAndStartedAgainOnce() throws Exception {
        try (FakePeer peer = new FakePeer(tmp.resolve("private"), manager("done", 1));
             Systemd s = Systemd.over(tmp.resolve("private"), 0, false, 5_000)) {
            s.startUnit("jrunc-c.scope", List.of());
            assertEquals("Subscribe,StartTransientUnit,ResetFailedUnit,StartTransientUnit", calls(peer));
        }
        try (FakePeer peer = new FakePeer(tmp.resolve("private2"), manager("done", 2));
             Systemd s = Systemd.over(tmp.resolve("private2"), 0, false, 5_000)) {
            JruncException e = assertThrows(JruncException.class, () -> s.startUnit("jrunc-c.scope", List.of()));
            assertEquals("error creating systemd unit `jrunc-c.scope`: Unit jrunc-c.scope already exists.", e.getMessage());
        }
    }

    @Test
    void aFailedJobIsRuncsError() throws Exception {
        try (FakePeer peer = new FakePeer(tmp.resolve("private"), manager("failed", 0));
             Systemd s = Systemd.over(tmp.resolve("private"), 0, false, 5_000)) {
            JruncException e = assertThrows(JruncException.class, () -> s.startUnit("jrunc-c.scope", List.of()));
            assertEquals("error creating systemd unit `jrunc-c.scope`: got `failed`", e.getMessage());
            assertEquals("Subscribe,StartTransientUnit,ResetFailedUnit", calls(peer));
        }
    }

    @Test
    void aJobThatNeverEndsIsABoundedWait() throws Exception {
        FakePeer.Handler silentJobs = m -> m.member().equals("StartTransientUnit")
                ? List.of(FakePeer.reply(m, "o", new ObjectPath("/org/freedesktop/systemd1/job/1")))
                : List.of(FakePeer.reply(m, ""));
        try (FakePeer peer = new FakePeer(tmp.resolve("private"), silentJobs);
             Systemd s = Systemd.over(tmp.resolve("private"), 0, false, 300)) {
            JruncException e = assertThrows(JruncException.class, () -> s.startUnit("jrunc-c.scope", List.of()));
            assertEquals("Timeout waiting for systemd to create jrunc-c.scope", e.getMessage());
        }
    }

    @Test
    void stopWaitsForTheJobAndAMissingUnitIsFine() throws Exception {
        try (FakePeer peer = new FakePeer(tmp.resolve("private"), manager("done", 0));
             Systemd s = Systemd.over(tmp.resolve("private"), 0, false, 5_000)) {
            s.stopUnit("jrunc-c.scope");
            assertEquals("Subscribe,StopUnit,ResetFailedUnit", calls(peer));
        }
        FakePeer.Handler none = m -> m.member().equals("StopUnit")
                ? List.of(FakePeer.error(m, Systemd.NO_SUCH_UNIT, "Unit jrunc-c.scope not loaded."))
                : List.of(FakePeer.reply(m, ""));
        try (FakePeer peer = new FakePeer(tmp.resolve("private2"), none);
             Systemd s = Systemd.over(tmp.resolve("private2"), 0, false, 5_000)) {
            s.stopUnit("jrunc-c.scope");
        }
    }

    @Test
    void throughABusDaemonTheSignalsAreMatchedFirst() throws Exception {
        try (FakePeer peer = new FakePeer(tmp.resolve("bus"), manager("done", 0));
             Systemd s = Systemd.over(tmp.resolve("bus"), 0, true, 5_000)) {
            s.setProperties("jrunc-c.scope", List.of(Property.of("TasksMax", "t", 5L)));
            s.startUnit("jrunc-c.scope", List.of());
            assertEquals("Hello,SetUnitProperties,AddMatch,Subscribe,StartTransientUnit", calls(peer));
            assertEquals(List.of("jrunc-c.scope", true, List.of(List.of("TasksMax", new Variant("t", 5L)))),
                    peer.received.get(1).body());
        }
    }

    @Test
    void versionsAndTheBusUid() throws JruncException {
        assertEquals(252, Systemd.parseVersion("252.19-1~deb12u1"));
        assertEquals(255, Systemd.parseVersion("v255"));
        assertEquals(0, Systemd.parseVersion("unknown"));
        String status = "Name:\tx\nUid:\t0\t0\t0\t0\n";
        // podman's rootless runtime: uid 0 in a user namespace mapping 0 to 1000
        assertEquals(1000, BusAddress.busUid(status, "         0       1000          1\n         1     100000      65536\n"));
        assertEquals(0, BusAddress.busUid(status, "         0          0 4294967295\n"));
        assertEquals(Path.of("/run/user/1000/bus"), BusAddress.unixPath("unix:path=/run/user/1000/bus,guid=abc"));
        assertEquals(Path.of("/tmp/a b"), BusAddress.unixPath("tcp:host=x;unix:path=/tmp/a%20b"));
        assertThrows(JruncException.class, () -> BusAddress.unixPath("unix:abstract=/tmp/dbus-x"));
    }
}
