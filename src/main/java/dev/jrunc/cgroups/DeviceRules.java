package dev.jrunc.cgroups;

import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.DeviceRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The device cgroup rules of a container, as runc computes them (specconv) for both cgroup
 * versions: the config's {@code linux.resources.devices} in order, then runc's default allow list
 * (mknod of any device, /dev/null, random, full, tty, zero, urandom, pts, ptmx, tun), less the
 * defaults whose path is also one of the config's {@code linux.devices} (runc drops those; the
 * config's devices themselves get no rule: a config allows them in {@code linux.resources.devices}).
 * v1 writes what {@link DeviceEmulator} makes of them into devices.allow/deny; v2 compiles the same
 * into an eBPF program ({@code v2.DeviceFilter}).
 */
public final class DeviceRules {
    private DeviceRules() {}

    /** A wildcard major or minor (runc's -1, written {@code *}). */
    public static final long WILDCARD = -1;

    /**
     * One rule: {@code type} 'a' (every device: the rule resets the whole list), 'b' or 'c';
     * {@code major}/{@code minor} a number or {@link #WILDCARD}; {@code access} some of r, w, m
     * in that order.
     */
    public record Rule(boolean allow, char type, long major, long minor, String access) {
        /** The rule as the v1 devices files take it: {@code a}, or {@code c 1:3 rwm} ({@code *} for a wildcard). */
        public String text() {
            if (type == 'a') {
                return "a";
            }
            return type + " " + (major < 0 ? "*" : Long.toString(major)) + ":" + (minor < 0 ? "*" : Long.toString(minor)) + " " + access;
        }

        @Override
        public String toString() {
            return (allow ? "allow " : "deny ") + text();
        }
    }

    /** The rules of a container, in the order runc applies them (see the class comment). */
    public static List<Rule> effective(List<DeviceRule> rules, List<Device> devices) {
        List<Rule> out = new ArrayList<>();
        if (rules != null) {
            for (DeviceRule r : rules) {
                out.add(rule(Boolean.TRUE.equals(r.allow()), r.type(), r.major(), r.minor(), r.access()));
            }
        }
        next:
        for (int i = 0; i < DEFAULT_ALLOWED.size(); i++) {
            String path = DEFAULT_PATHS.get(i);
            if (!path.isEmpty() && devices != null) {
                for (Device dev : devices) {
                    if (path.equals(dev.path())) {
                        continue next;
                    }
                }
            }
            out.add(DEFAULT_ALLOWED.get(i));
        }
        return out;
    }

    /** A rule from the config's members: no type is 'a', no (or a negative) number a wildcard, no access "rwm". */
    public static Rule rule(boolean allow, String type, Long major, Long minor, String access) {
        char t = type == null || type.isEmpty() ? 'a' : type.charAt(0);
        return new Rule(allow, t, major == null || major < 0 ? WILDCARD : major, minor == null || minor < 0 ? WILDCARD : minor,
                access == null || access.isEmpty() ? "rwm" : canonical(access));
    }

    /** Access letters in r, w, m order, each once. */
    static String canonical(String access) {
        StringBuilder s = new StringBuilder(3);
        for (char c : new char[] {'r', 'w', 'm'}) {
            if (access.indexOf(c) >= 0) {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** runc's AllowedDevices (specconv, runc 1.1), appended after the config's rules. */
    public static final List<Rule> DEFAULT_ALLOWED = List.of(
            new Rule(true, 'c', WILDCARD, WILDCARD, "m"), new Rule(true, 'b', WILDCARD, WILDCARD, "m"),
            new Rule(true, 'c', 1, 3, "rwm"), new Rule(true, 'c', 1, 8, "rwm"), new Rule(true, 'c', 1, 7, "rwm"),
            new Rule(true, 'c', 5, 0, "rwm"), new Rule(true, 'c', 1, 5, "rwm"), new Rule(true, 'c', 1, 9, "rwm"),
            new Rule(true, 'c', 136, WILDCARD, "rwm"), new Rule(true, 'c', 5, 2, "rwm"), new Rule(true, 'c', 10, 200, "rwm"));

    /** The device path of each of {@link #DEFAULT_ALLOWED} ("" for none): a config device at that path drops the rule. */
    private static final List<String> DEFAULT_PATHS = List.of("", "", "/dev/null", "/dev/random", "/dev/full", "/dev/tty",
            "/dev/zero", "/dev/urandom", "", "", "");
}
