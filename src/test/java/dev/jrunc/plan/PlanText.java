package dev.jrunc.plan;

import dev.jrunc.spec.Capability;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The readable form of a plan that the golden {@code .txt} files hold: one op per line, as the
 * record prints itself ({@code Mount[source=proc, target=/proc, ...]}), except that flags, masks
 * and kernel enumerations are printed by name ({@code flags=MS_NOSUID|MS_NODEV|MS_NOEXEC}), bits
 * without a name as a hex remainder ({@code MS_RDONLY|0x40000000}). The names and values are
 * written here from the kernel's headers, apart from the compiler's own constants, so a wrong
 * constant in the compiler shows up as a wrong name in the golden diff.
 */
final class PlanText {
    private PlanText() {}

    /** A bit mask: each name whose bits are all set is printed and its bits taken away, in table order. */
    private record Bits(Map<String, Long> names) implements Function<Object, String> {
        public String apply(Object value) {
            long rest = ((Number) value).longValue();
            if (rest == 0) {
                return "0";
            }
            StringJoiner out = new StringJoiner("|");
            for (Map.Entry<String, Long> e : names.entrySet()) {
                if (e.getValue() != 0 && (rest & e.getValue()) == e.getValue()) {
                    out.add(e.getKey());
                    rest &= ~e.getValue();
                }
            }
            if (rest != 0) {
                out.add("0x" + Long.toHexString(rest));
            }
            return out.toString();
        }
    }

    /** One value out of a kernel enumeration; an unknown one prints as a number. */
    private record Values(Map<String, Long> names) implements Function<Object, String> {
        public String apply(Object value) {
            long v = ((Number) value).longValue();
            return names.entrySet().stream().filter(e -> e.getValue() == v).map(Map.Entry::getKey).findFirst()
                    .orElse(Long.toString(v));
        }
    }

    /** name, value, name, value, ... in order. */
    private static Map<String, Long> table(Object... nameValue) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], ((Number) nameValue[i + 1]).longValue());
        }
        return m;
    }

    private static final Bits CLONE = new Bits(table(
            "CLONE_NEWTIME", 0x80, "CLONE_NEWNS", 0x20000, "CLONE_NEWCGROUP", 0x02000000, "CLONE_NEWUTS", 0x04000000,
            "CLONE_NEWIPC", 0x08000000, "CLONE_NEWUSER", 0x10000000, "CLONE_NEWPID", 0x20000000,
            "CLONE_NEWNET", 0x40000000));
    private static final Bits MS = new Bits(table(
            "MS_RDONLY", 1, "MS_NOSUID", 2, "MS_NODEV", 4, "MS_NOEXEC", 8, "MS_SYNCHRONOUS", 16, "MS_REMOUNT", 32,
            "MS_MANDLOCK", 64, "MS_DIRSYNC", 128, "MS_NOSYMFOLLOW", 256, "MS_NOATIME", 1024, "MS_NODIRATIME", 2048,
            "MS_BIND", 4096, "MS_MOVE", 8192, "MS_REC", 16384, "MS_SILENT", 32768, "MS_POSIXACL", 1 << 16,
            "MS_UNBINDABLE", 1 << 17, "MS_PRIVATE", 1 << 18, "MS_SLAVE", 1 << 19, "MS_SHARED", 1 << 20,
            "MS_RELATIME", 1 << 21, "MS_I_VERSION", 1 << 23, "MS_STRICTATIME", 1 << 24, "MS_LAZYTIME", 1 << 25));
    /** mount_setattr(2) attributes; MOUNT_ATTR__ATIME is the three-bit field of the atime modes. */
    private static final Bits MOUNT_ATTR = new Bits(table(
            "MOUNT_ATTR_RDONLY", 1, "MOUNT_ATTR_NOSUID", 2, "MOUNT_ATTR_NODEV", 4, "MOUNT_ATTR_NOEXEC", 8,
            "MOUNT_ATTR__ATIME", 0x70, "MOUNT_ATTR_NOATIME", 0x10, "MOUNT_ATTR_STRICTATIME", 0x20,
            "MOUNT_ATTR_NODIRATIME", 0x80, "MOUNT_ATTR_IDMAP", 0x100000, "MOUNT_ATTR_NOSYMFOLLOW", 0x200000));
    private static final Bits SECCOMP_FLAGS = new Bits(table(
            "SECCOMP_FILTER_FLAG_TSYNC", 1, "SECCOMP_FILTER_FLAG_LOG", 2, "SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4,
            "SECCOMP_FILTER_FLAG_NEW_LISTENER", 8, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH", 16,
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32));
    private static final Bits SCHED_FLAGS = new Bits(table(
            "SCHED_FLAG_RESET_ON_FORK", 1, "SCHED_FLAG_RECLAIM", 2, "SCHED_FLAG_DL_OVERRUN", 4,
            "SCHED_FLAG_KEEP_POLICY", 8, "SCHED_FLAG_KEEP_PARAMS", 0x10, "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20,
            "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40));
    private static final Values SCHED_POLICY = new Values(table(
            "SCHED_OTHER", 0, "SCHED_FIFO", 1, "SCHED_RR", 2, "SCHED_BATCH", 3, "SCHED_ISO", 4, "SCHED_IDLE", 5,
            "SCHED_DEADLINE", 6));
    private static final Values PERSONALITY = new Values(table("PER_LINUX", 0, "PER_LINUX32", 8));
    private static final Values RLIMIT_VALUE = new Values(table("RLIM_INFINITY", -1));
    private static final Bits CAPS;

    static {
        Map<String, Long> caps = new LinkedHashMap<>();
        for (String name : Capability.ALL) {
            caps.put(name, 1L << Capability.number(name));
        }
        CAPS = new Bits(caps);
    }

    /** A file type and permission bits: S_IFCHR|0666. */
    private static String mode(Object value) {
        long v = ((Number) value).longValue();
        Values types = new Values(table("S_IFIFO", 010000, "S_IFCHR", 020000, "S_IFDIR", 040000, "S_IFBLK", 060000,
                "S_IFREG", 0100000, "S_IFLNK", 0120000, "S_IFSOCK", 0140000));
        String perm = String.format("%04o", v & 07777);
        return (v & 0170000) == 0 ? perm : types.apply(v & 0170000) + "|" + perm;
    }

    /** IOPRIO_PRIO_VALUE(class, level), as ioprio_set(2) writes it. */
    private static String ioprio(Object value) {
        long v = ((Number) value).longValue();
        Values classes = new Values(table("IOPRIO_CLASS_NONE", 0, "IOPRIO_CLASS_RT", 1, "IOPRIO_CLASS_BE", 2,
                "IOPRIO_CLASS_IDLE", 3));
        return "IOPRIO_PRIO_VALUE(" + classes.apply(v >> 13) + ", " + (v & 0x1fff) + ")";
    }

    /** Record.component to its format; any other component prints as the record would print it. */
    static final Map<String, Function<Object, String>> FORMATS = Map.ofEntries(
            Map.entry("Clone.flags", CLONE),
            Map.entry("Unshare.flags", CLONE),
            Map.entry("JoinNamespace.nsType", CLONE),
            Map.entry("MountPropagation.flags", MS),
            Map.entry("Mount.flags", MS),
            Map.entry("Mount.propagation", MS),
            Map.entry("Mount.remountFlags", MS),
            Map.entry("Mount.attrSet", MOUNT_ATTR),
            Map.entry("Mount.attrClr", MOUNT_ATTR),
            Map.entry("IdmapMount.attrSet", MOUNT_ATTR),
            Map.entry("IdmapMount.propagation", MS),
            Map.entry("Mknod.mode", PlanText::mode),
            Map.entry("Umask.mask", v -> String.format("%04o", ((Number) v).longValue())),
            Map.entry("Rlimit.soft", RLIMIT_VALUE),
            Map.entry("Rlimit.hard", RLIMIT_VALUE),
            Map.entry("CapBounding.keep", CAPS),
            Map.entry("Caps.effective", CAPS),
            Map.entry("Caps.permitted", CAPS),
            Map.entry("Caps.inheritable", CAPS),
            Map.entry("CapAmbient.mask", CAPS),
            Map.entry("Seccomp.flags", SECCOMP_FLAGS),
            Map.entry("Seccomp.program", v -> ((byte[]) v).length / 8 + " instructions"),
            Map.entry("Scheduler.policy", SCHED_POLICY),
            Map.entry("Scheduler.flags", SCHED_FLAGS),
            Map.entry("IoPriority.value", PlanText::ioprio),
            Map.entry("Personality.persona", PERSONALITY));

    /** One op per line. */
    static String render(List<? extends Op> ops) {
        StringBuilder sb = new StringBuilder();
        for (Op op : ops) {
            sb.append(line(op)).append('\n');
        }
        return sb.toString();
    }

    static String line(Op op) {
        String type = op.getClass().getSimpleName();
        StringJoiner fields = new StringJoiner(", ", type + "[", "]");
        for (RecordComponent c : op.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(op);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type + "." + c.getName(), e);
            }
            fields.add(c.getName() + "=" + FORMATS.getOrDefault(type + "." + c.getName(), String::valueOf).apply(value));
        }
        return fields.toString();
    }
}
