package dev.jrunc.cgroups.systemd;

import dev.jrunc.JruncException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where systemd is reached, as go-systemd (runc's library) finds it: as root its private socket
 * {@code /run/systemd/private} (no bus daemon in the way), else the system bus; rootless the
 * user's bus ({@code $DBUS_SESSION_BUS_ADDRESS}, else {@code $XDG_RUNTIME_DIR/bus}).
 *
 * @param socket the Unix socket
 * @param daemon true for a bus daemon (Hello, AddMatch), false for a direct peer
 */
public record BusAddress(Path socket, boolean daemon) {
    static final Path PRIVATE = Path.of("/run/systemd/private");
    static final Path SYSTEM_BUS = Path.of("/run/dbus/system_bus_socket");

    static BusAddress system() throws JruncException {
        if (Files.exists(PRIVATE)) {
            return new BusAddress(PRIVATE, false);
        }
        String env = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        return new BusAddress(env == null || env.isEmpty() ? SYSTEM_BUS : unixPath(env), true);
    }

    static BusAddress user() throws JruncException {
        String env = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        if (env != null && !env.isEmpty()) {
            return new BusAddress(unixPath(env), true);
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime == null || runtime.isEmpty()) {
            throw new JruncException("systemd: neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set: cannot find the user's D-Bus");
        }
        return new BusAddress(Path.of(runtime, "bus"), true);
    }

    /** The first {@code unix:path=} of a D-Bus address list ({@code a;b}, {@code unix:path=P,guid=G}). */
    static Path unixPath(String address) throws JruncException {
        for (String one : address.split(";")) {
            if (!one.startsWith("unix:")) {
                continue;
            }
            for (String kv : one.substring(5).split(",")) {
                if (kv.startsWith("path=")) {
                    return Path.of(unescape(kv.substring(5)));
                }
            }
        }
        throw new JruncException("systemd: unsupported D-Bus address (only unix:path= is): " + address);
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The uid the bus sees (SO_PEERCRED is in the bus's user namespace): the effective uid,
     * mapped through {@code /proc/self/uid_map} when jrunc runs in a user namespace (podman's
     * rootless runtime is uid 0 there, the user's own uid outside).
     */
    static long busUid() throws JruncException {
        try {
            return busUid(Files.readString(Path.of("/proc/self/status")), Files.readString(Path.of("/proc/self/uid_map")));
        } catch (IOException e) {
            throw new JruncException("systemd: cannot read this process's uid: " + dev.jrunc.sys.IoErrors.reason(e), e);
        }
    }

    static long busUid(String status, String uidMap) throws JruncException {
        long euid = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                euid = Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
            }
        }
        if (euid < 0) {
            throw new JruncException("systemd: no Uid line in /proc/self/status");
        }
        for (String line : uidMap.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            long inside = Long.parseLong(f[0]);
            long outside = Long.parseLong(f[1]);
            long count = Long.parseLong(f[2]);
            if (euid >= inside && euid - inside < count) {
                return outside + (euid - inside);
            }
        }
        return euid;
    }
}
