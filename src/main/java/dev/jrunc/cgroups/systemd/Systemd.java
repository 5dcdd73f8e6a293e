package dev.jrunc.cgroups.systemd;

import dev.jrunc.JruncException;
import dev.jrunc.dbus.BusConnection;
import dev.jrunc.dbus.DBusException;
import dev.jrunc.dbus.Message;
import dev.jrunc.dbus.ObjectPath;
import dev.jrunc.dbus.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls jrunc makes to systemd's manager (org.freedesktop.systemd1.Manager) over D-Bus:
 * start a transient unit and wait for its job, set unit properties, stop a unit, read manager
 * properties. Every wait is bounded by {@link #JOB_TIMEOUT_MILLIS} (runc's 30 s).
 */
public final class Systemd implements AutoCloseable {
    public static final long JOB_TIMEOUT_MILLIS = 30_000;
    static final String DEST = "org.freedesktop.systemd1";
    static final String PATH = "/org/freedesktop/systemd1";
    static final String MANAGER = "org.freedesktop.systemd1.Manager";
    static final String UNIT_EXISTS = "org.freedesktop.systemd1.UnitExists";
    static final String NO_SUCH_UNIT = "org.freedesktop.systemd1.NoSuchUnit";

    private final BusConnection bus;
    private final boolean viaDaemon;
    private final long timeoutMillis;
    private boolean subscribed;

    Systemd(BusConnection bus, boolean viaDaemon, long timeoutMillis) {
        this.bus = bus;
        this.viaDaemon = viaDaemon;
        this.timeoutMillis = timeoutMillis;
    }

    /** Connects to the system bus (root) or to the user's bus (rootless) as the bus sees this process. */
    public static Systemd connect(boolean rootless) throws JruncException {
        BusAddress address = rootless ? BusAddress.user() : BusAddress.system();
        try {
            return new Systemd(BusConnection.open(address.socket(), BusAddress.busUid(), address.daemon(), JOB_TIMEOUT_MILLIS),
                    address.daemon(), JOB_TIMEOUT_MILLIS);
        } catch (DBusException e) {
            throw new JruncException("systemd: cannot connect to " + (rootless ? "the user's" : "the system") + " D-Bus: "
                    + e.getMessage(), e);
        }
    }

    /** For tests: a connection to any peer, with another bound on every wait. */
    public static Systemd over(Path socket, long uid, boolean bus, long timeoutMillis) throws DBusException {
        return new Systemd(BusConnection.open(socket, uid, bus, timeoutMillis), bus, timeoutMillis);
    }

    /**
     * runc's startUnit: StartTransientUnit(unit, "replace", properties, []) and wait for the
     * job's JobRemoved signal; a unit of that name left over (UnitExists) is reset once and
     * started again.
     */
    public void startUnit(String unit, List<Property> properties) throws JruncException {
        startUnit(unit, properties, () -> { });
    }

    /** {@link #startUnit(String, List)}; {@code onJob} runs once systemd has a job for the unit (it is then the caller's). */
    public void startUnit(String unit, List<Property> properties, Runnable onJob) throws JruncException {
        subscribe();
        ObjectPath job;
        try {
            job = start(unit, properties);
        } catch (DBusException e) {
            if (!UNIT_EXISTS.equals(e.name())) {
                throw new JruncException("error creating systemd unit `" + unit + "`: " + e.getMessage(), e);
            }
            resetFailed(unit);
            try {
                job = start(unit, properties);
            } catch (DBusException again) {
                throw new JruncException("error creating systemd unit `" + unit + "`: " + again.getMessage(), again);
            }
        }
        onJob.run();
        String result;
        try {
            result = awaitJob(job);
        } catch (DBusException e) {
            resetFailed(unit);
            throw new JruncException("Timeout waiting for systemd to create " + unit, e);
        }
        if (!result.equals("done")) {
            resetFailed(unit);
            throw new JruncException("error creating systemd unit `" + unit + "`: got `" + result + "`");
        }
    }

    private ObjectPath start(String unit, List<Property> properties) throws DBusException {
        Message r = bus.call(Message.call(DEST, PATH, MANAGER, "StartTransientUnit", "ssa(sv)a(sa(sv))",
                unit, "replace", wire(properties), List.of()), deadline());
        return (ObjectPath) r.body().getFirst();
    }

    /**
     * runc's stopUnit: StopUnit(unit, "replace"), wait for its job; a unit that is not there is
     * not an error; a failed unit is reset so systemd forgets it.
     */
    public void stopUnit(String unit) throws JruncException {
        subscribe();
        ObjectPath job;
        try {
            job = (ObjectPath) bus.call(Message.call(DEST, PATH, MANAGER, "StopUnit", "ss", unit, "replace"), deadline())
                    .body().getFirst();
        } catch (DBusException e) {
            if (NO_SUCH_UNIT.equals(e.name())) {
                return;
            }
            throw new JruncException("error stopping systemd unit `" + unit + "`: " + e.getMessage(), e);
        }
        try {
            awaitJob(job);
        } catch (DBusException e) {
            throw new JruncException("Timed out while waiting for systemd to remove " + unit, e);
        }
        resetFailed(unit);
    }

    /** SetUnitProperties(unit, runtime=true, properties), as runc's update. */
    public void setProperties(String unit, List<Property> properties) throws JruncException {
        if (properties.isEmpty()) {
            return;
        }
        try {
            bus.call(Message.call(DEST, PATH, MANAGER, "SetUnitProperties", "sba(sv)", unit, true, wire(properties)),
                    deadline());
        } catch (DBusException e) {
            throw new JruncException("error setting properties of systemd unit `" + unit + "`: " + e.getMessage(), e);
        }
    }

    /** A property of the manager object, e.g. {@code Version}, {@code ControlGroup}. */
    public Object managerProperty(String name) throws JruncException {
        try {
            Message r = bus.call(Message.call(DEST, PATH, "org.freedesktop.DBus.Properties", "Get", "ss", MANAGER, name),
                    deadline());
            return ((Variant) r.body().getFirst()).value();
        } catch (DBusException e) {
            throw new JruncException("systemd: cannot read the manager's " + name + ": " + e.getMessage(), e);
        }
    }

    /** The manager's major version ({@code 252} of {@code "252.19-1~deb12u1"}), 0 when unknown. */
    public int version() throws JruncException {
        return parseVersion(String.valueOf(managerProperty("Version")));
    }

    static int parseVersion(String v) {
        int i = 0;
        String s = v.startsWith("v") ? v.substring(1) : v;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i == 0 ? 0 : Integer.parseInt(s.substring(0, Math.min(i, 9)));
    }

    private void resetFailed(String unit) {
        try {
            bus.call(Message.call(DEST, PATH, MANAGER, "ResetFailedUnit", "s", unit), deadline());
        } catch (DBusException e) {
            // not failed, or gone: nothing to reset
        }
    }

    private void subscribe() throws JruncException {
        if (subscribed) {
            return;
        }
        try {
            // through a bus daemon, a match rule for the manager's signals; then Subscribe so the
            // manager sends them
            if (viaDaemon) {
                bus.call(Message.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "AddMatch", "s",
                    "type='signal',sender='" + DEST + "',interface='" + MANAGER + "',member='JobRemoved'"), deadline());
            }
            bus.call(Message.call(DEST, PATH, MANAGER, "Subscribe", ""), deadline());
            subscribed = true;
        } catch (DBusException e) {
            throw new JruncException("systemd: cannot subscribe to job signals: " + e.getMessage(), e);
        }
    }

    /** The result of the job's JobRemoved signal ({@code done}, {@code failed}, ...). */
    private String awaitJob(ObjectPath job) throws DBusException {
        Message m = bus.awaitSignal(s -> "JobRemoved".equals(s.member()) && s.body().size() == 4
                && job.equals(s.body().get(1)), deadline());
        return (String) m.body().get(3);
    }

    private long deadline() {
        return System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    private static List<Object> wire(List<Property> properties) {
        List<Object> out = new ArrayList<>();
        for (Property p : properties) {
            out.add(p.wire());
        }
        return out;
    }

    @Override
    public void close() {
        bus.close();
    }
}
