package dev.jrunc.dbus;

/**
 * A D-Bus failure: a broken stream, a timeout, a bad message, or an error reply ({@link #name()}
 * is the D-Bus error name then, e.g. {@code org.freedesktop.systemd1.NoSuchUnit}).
 */
public final class DBusException extends Exception {
    private final String name;

    public DBusException(String message) {
        this(null, message);
    }

    public DBusException(String name, String message) {
        super(message);
        this.name = name;
    }

    /** The error name of an error reply, or null. */
    public String name() {
        return name;
    }
}
