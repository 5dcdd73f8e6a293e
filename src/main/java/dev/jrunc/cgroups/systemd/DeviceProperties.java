package dev.jrunc.cgroups.systemd;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.DeviceEmulator;
import dev.jrunc.cgroups.DeviceRules;
import dev.jrunc.cgroups.DeviceRules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The container's device rules as the unit properties {@code DevicePolicy} and
 * {@code DeviceAllow} ({@code a(ss)}), as runc's systemd driver maps them
 * (generateDeviceProperties): the rules are reduced by the devices emulator; an allow list is
 * {@code DevicePolicy=strict} with one {@code DeviceAllow} entry per exception, named the way
 * systemd takes it: {@code /dev/char/1:3} for one device (skipped, with a warning, when neither it
 * nor {@code /sys/dev/char/1:3} exists), the {@code /proc/devices} group ({@code char-pts}) for a
 * wildcard minor, {@code char-*}/{@code block-*} for both wildcards. systemd cannot say
 * {@code *:n} (skipped, with a warning) nor a deny list (a temporary deny-all, with a warning;
 * allow-all is {@code DevicePolicy=auto}). The warnings are runc's words; the caller decides where
 * they go. jrunc's own eBPF program in the unit's cgroup enforces
 * the exact rules either way, as runc's.
 */
final class DeviceProperties {
    private DeviceProperties() {}

    /**
     * @param rules       the container's rules in runc's order ({@link DeviceRules#effective})
     * @param procDevices the text of {@code /proc/devices}
     * @param exists      whether a path exists (the {@code /dev/char/M:N} names)
     * @param warn        where runc's warnings go (jrunc: its debug log)
     */
    static List<Property> of(List<Rule> rules, String procDevices, Predicate<String> exists, Consumer<String> warn)
            throws JruncException {
        DeviceEmulator emu;
        try {
            emu = DeviceEmulator.of(rules);
        } catch (JruncException e) {
            throw new JruncException("unable to apply rule for systemd: " + e.getMessage(), e);
        }
        List<Property> props = new ArrayList<>();
        List<Rule> exceptions = emu.exceptions();
        if (emu.defaultAllow()) {
            if (exceptions.isEmpty()) {
                props.add(Property.of("DevicePolicy", "s", "auto"));
                props.add(Property.of("DeviceAllow", "a(ss)", List.of()));
                return props;
            }
            warn.accept("systemd doesn't support blacklist device rules -- applying temporary deny-all rule");
        }
        props.add(Property.of("DevicePolicy", "s", "strict"));
        // an empty list first: SetUnitProperties adds to the list, this resets it (as runc)
        props.add(Property.of("DeviceAllow", "a(ss)", List.of()));
        if (emu.defaultAllow()) {
            return props;
        }
        List<Object> allow = new ArrayList<>();
        for (Rule r : exceptions) {
            String name = name(r, procDevices, exists, warn);
            if (name != null) {
                allow.add(List.of(name, r.access()));
            }
        }
        props.add(Property.of("DeviceAllow", "a(ss)", allow));
        return props;
    }

    /** The DeviceAllow name of one allow rule, or null (warned) where systemd has none. */
    private static String name(Rule r, String procDevices, Predicate<String> exists, Consumer<String> warn) {
        String kind = r.type() == 'b' ? "block" : "char";
        if (r.major() == DeviceRules.WILDCARD) {
            if (r.minor() != DeviceRules.WILDCARD) {
                warn.accept("systemd doesn't support '*:n' device rules -- temporarily ignoring rule: " + r.text());
                return null;
            }
            return kind + "-*";
        }
        if (r.minor() == DeviceRules.WILDCARD) {
            String group = group(procDevices, r.type(), r.major());
            if (group == null) {
                warn.accept("could not find device group for '" + r.type() + "/" + r.major()
                        + "' in /proc/devices -- temporarily ignoring rule: " + r.text());
                return null;
            }
            return kind + "-" + group;
        }
        String path = "/dev/" + kind + "/" + r.major() + ":" + r.minor();
        if (!exists.test(path) && !exists.test("/sys" + path)) {
            warn.accept("skipping device " + path + " for systemd: stat /sys" + path + ": no such file or directory");
            return null;
        }
        return path;
    }

    /**
     * The name {@code /proc/devices} gives major {@code major} under "Character devices:" ('c')
     * or "Block devices:" ('b'); the first when several share it; null when none.
     */
    static String group(String procDevices, char type, long major) {
        char section = 0;
        for (String raw : procDevices.split("\n")) {
            String line = raw.strip();
            if (line.equals("Character devices:")) {
                section = 'c';
            } else if (line.equals("Block devices:")) {
                section = 'b';
            } else if (section == type && !line.isEmpty()) {
                String[] f = line.split("\\s+", 2);
                if (f.length == 2 && f[0].equals(Long.toString(major))) {
                    return f[1].strip();
                }
            }
        }
        return null;
    }
}
