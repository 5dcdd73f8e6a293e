package dev.jrunc.dbus;

/** A D-Bus object path ({@code o}), kept apart from a string so a variant knows its type. */
public record ObjectPath(String path) {
    @Override
    public String toString() {
        return path;
    }
}
