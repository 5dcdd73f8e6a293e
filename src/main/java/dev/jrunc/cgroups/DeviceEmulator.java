package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.DeviceRules.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of a v1 devices cgroup after a list of rules, as runc's devices emulator computes it
 * (libcontainer/cgroups/devices): a default (deny, as an emulator starts; an 'a' rule sets it to
 * the rule's verdict and clears everything else) and exceptions to it, one per (type, major,
 * minor) with the union of their access letters. A rule with the default's verdict subtracts
 * letters from the exception of exactly its (type, major, minor). As runc, a rule that would punch
 * a hole into a wildcard exception (which v1 silently ignores) is an error.
 *
 * <p>Both cgroup versions use its result, so the rules mean the same on both: v1 writes
 * {@link #transition()} into a new cgroup; v2 compiles {@link #exceptions()} into the eBPF
 * program.
 */
public final class DeviceEmulator {
    /** The match part of a rule. */
    private record Meta(char type, long major, long minor) {
        @Override
        public String toString() {
            // runc prints its deviceMeta with Go's %v: the type as a number ({99 1 -1})
            return "{" + (int) type + " " + major + " " + minor + "}";
        }
    }

    /** runc's order of exceptions: major, minor, then type (a wildcard, -1, first). */
    private static final Comparator<Meta> ORDER =
            Comparator.comparingLong(Meta::major).thenComparingLong(Meta::minor).thenComparingInt(Meta::type);

    private boolean defaultAllow;
    private final Map<Meta, String> exceptions = new TreeMap<>(ORDER);

    /** The state after {@code rules}, applied in order to an emulator that starts denying everything. */
    public static DeviceEmulator of(List<Rule> rules) throws JruncException {
        DeviceEmulator e = new DeviceEmulator();
        for (Rule r : rules) {
            e.apply(r);
        }
        return e;
    }

    /** Whether a device no exception names is allowed (runc's IsBlacklist). */
    public boolean defaultAllow() {
        return defaultAllow;
    }

    public void apply(Rule rule) throws JruncException {
        if (rule.type() == 'a') {
            defaultAllow = rule.allow();
            exceptions.clear();
            return;
        }
        if (rule.type() != 'b' && rule.type() != 'c') {
            throw new JruncException("invalid device type \"" + rule.type() + "\"");
        }
        Meta meta = new Meta(rule.type(), rule.major(), rule.minor());
        String perms = DeviceRules.canonical(rule.access());
        if (rule.allow() != defaultAllow) {
            exceptions.merge(meta, perms, (a, b) -> DeviceRules.canonical(a + b));
        } else {
            remove(meta, perms, rule.allow() ? "remove 'deny' exception" : "remove 'allow' exception");
        }
    }

    private void remove(Meta meta, String perms, String what) throws JruncException {
        for (Meta partial : List.of(new Meta(meta.type(), DeviceRules.WILDCARD, meta.minor()),
                new Meta(meta.type(), meta.major(), DeviceRules.WILDCARD),
                new Meta(meta.type(), DeviceRules.WILDCARD, DeviceRules.WILDCARD))) {
            if (partial.equals(meta)) {
                continue;
            }
            String partialPerms = exceptions.getOrDefault(partial, "");
            if (!intersection(partialPerms, perms).isEmpty()) {
                throw new JruncException(what + ": requested rule [" + meta + " " + perms
                        + "] not supported by devices cgroupv1 (cannot punch hole in existing wildcard rule [" + partial + " "
                        + partialPerms + "])");
            }
        }
        String left = difference(exceptions.getOrDefault(meta, ""), perms);
        if (left.isEmpty()) {
            exceptions.remove(meta);
        } else {
            exceptions.put(meta, left);
        }
    }

    /**
     * The exceptions to the default, in runc's order (major, minor, type); each rule's verdict
     * is the opposite of {@link #defaultAllow()}. (runc's Rules() without its leading 'a'.)
     */
    public List<Rule> exceptions() {
        List<Rule> out = new ArrayList<>();
        exceptions.forEach((m, perms) -> out.add(new Rule(!defaultAllow, m.type(), m.major(), m.minor(), perms)));
        return out;
    }

    /**
     * What runc writes into a new v1 devices cgroup (which allows everything): the default as an
     * 'a' rule, then the exceptions (runc's Transition from the new cgroup's state).
     */
    public List<Rule> transition() {
        List<Rule> out = new ArrayList<>();
        out.add(new Rule(defaultAllow, 'a', DeviceRules.WILDCARD, DeviceRules.WILDCARD, "rwm"));
        out.addAll(exceptions());
        return out;
    }

    private static String intersection(String a, String b) {
        StringBuilder s = new StringBuilder();
        for (char c : a.toCharArray()) {
            if (b.indexOf(c) >= 0) {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static String difference(String a, String b) {
        StringBuilder s = new StringBuilder();
        for (char c : a.toCharArray()) {
            if (b.indexOf(c) < 0) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
