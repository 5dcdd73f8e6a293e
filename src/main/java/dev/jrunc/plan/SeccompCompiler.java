package dev.jrunc.plan;

import dev.jrunc.spec.model.Seccomp;
import dev.jrunc.spec.model.SeccompArg;
import dev.jrunc.spec.model.SeccompRule;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code linux.seccomp} to a loadable filter, as runc converts it (libcontainer/specconv and
 * libcontainer/seccomp): names, actions, operators, architectures and flags are checked and
 * resolved here, with runc's error texts; the result is the flat encoding that
 * {@code jrunc_seccomp_compile} (libjrunc, over libseccomp) turns into a BPF program, which the
 * plan's {@code seccomp} op carries. runc's rules kept:
 * <ul>
 *   <li>no defaultAction and no syscalls: no filter at all;</li>
 *   <li>SCMP_ACT_KILL is KILL_THREAD; ERRNO and TRACE return {@code errnoRet} (default EPERM);</li>
 *   <li>a rule whose action equals the default action is dropped (libseccomp refuses it);</li>
 *   <li>a syscall libseccomp does not know is skipped (a syscall this kernel lacks);</li>
 *   <li>conditions of one rule that test the same argument twice become one rule per condition
 *       (they then match when any of them holds), else one rule with all (all must hold);</li>
 *   <li>SCMP_ACT_NOTIFY: not as default action, not for {@code write}, needs listenerPath; the
 *       filter is loaded with SECCOMP_FILTER_FLAG_NEW_LISTENER;</li>
 *   <li>flags absent: SECCOMP_FILTER_FLAG_SPEC_ALLOW when the kernel has it; TSYNC is accepted and
 *       ignored (the init is single-threaded);</li>
 *   <li>more than 32 rules: libseccomp's binary tree.</li>
 * </ul>
 */
public final class SeccompCompiler {
    /** libseccomp's action values (seccomp.h). */
    static final long ACT_KILL_PROCESS = 0x80000000L, ACT_KILL_THREAD = 0, ACT_TRAP = 0x00030000,
            ACT_ERRNO = 0x00050000, ACT_NOTIFY = 0x7fc00000, ACT_TRACE = 0x7ff00000, ACT_LOG = 0x7ffc0000,
            ACT_ALLOW = 0x7fff0000;
    static final int EPERM = 1;

    public static final long FLAG_TSYNC = 1, FLAG_LOG = 2, FLAG_SPEC_ALLOW = 4, FLAG_NEW_LISTENER = 8,
            FLAG_WAIT_KILLABLE_RECV = 32;

    /** The spec's action names; the value is filled in with the errno where one applies. */
    private static final Map<String, Long> ACTIONS = map(
            "SCMP_ACT_KILL", ACT_KILL_THREAD, "SCMP_ACT_KILL_PROCESS", ACT_KILL_PROCESS,
            "SCMP_ACT_KILL_THREAD", ACT_KILL_THREAD, "SCMP_ACT_TRAP", ACT_TRAP, "SCMP_ACT_ERRNO", ACT_ERRNO,
            "SCMP_ACT_TRACE", ACT_TRACE, "SCMP_ACT_ALLOW", ACT_ALLOW, "SCMP_ACT_LOG", ACT_LOG,
            "SCMP_ACT_NOTIFY", ACT_NOTIFY);

    /** SCMP_CMP_* values (enum scmp_compare). */
    private static final Map<String, Long> OPERATORS = map(
            "SCMP_CMP_NE", 1L, "SCMP_CMP_LT", 2L, "SCMP_CMP_LE", 3L, "SCMP_CMP_EQ", 4L, "SCMP_CMP_GE", 5L,
            "SCMP_CMP_GT", 6L, "SCMP_CMP_MASKED_EQ", 7L);

    /** The spec's architecture names (runc's list) to libseccomp's names. */
    private static final Map<String, String> ARCHS = new LinkedHashMap<>();

    static {
        String[][] archs = {
            {"SCMP_ARCH_X86", "x86"}, {"SCMP_ARCH_X86_64", "x86_64"}, {"SCMP_ARCH_X32", "x32"},
            {"SCMP_ARCH_ARM", "arm"}, {"SCMP_ARCH_AARCH64", "aarch64"}, {"SCMP_ARCH_MIPS", "mips"},
            {"SCMP_ARCH_MIPS64", "mips64"}, {"SCMP_ARCH_MIPS64N32", "mips64n32"}, {"SCMP_ARCH_MIPSEL", "mipsel"},
            {"SCMP_ARCH_MIPSEL64", "mipsel64"}, {"SCMP_ARCH_MIPSEL64N32", "mipsel64n32"}, {"SCMP_ARCH_PPC", "ppc"},
            {"SCMP_ARCH_PPC64", "ppc64"}, {"SCMP_ARCH_PPC64LE", "ppc64le"}, {"SCMP_ARCH_RISCV64", "riscv64"},
            {"SCMP_ARCH_S390", "s390"}, {"SCMP_ARCH_S390X", "s390x"},
        };
        for (String[] a : archs) {
            ARCHS.put(a[0], a[1]);
        }
    }

    /** The flags of the spec, to their SECCOMP_FILTER_FLAG_* bits; TSYNC is known but never set. */
    private static final Map<String, Long> FLAGS = map(
            "SECCOMP_FILTER_FLAG_TSYNC", 0L, "SECCOMP_FILTER_FLAG_LOG", FLAG_LOG,
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", FLAG_SPEC_ALLOW,
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", FLAG_WAIT_KILLABLE_RECV);
    /** The kernel bit a flag needs to be accepted (TSYNC's own bit, though jrunc does not set it). */
    private static final Map<String, Long> PROBE_BITS = map(
            "SECCOMP_FILTER_FLAG_TSYNC", FLAG_TSYNC, "SECCOMP_FILTER_FLAG_LOG", FLAG_LOG,
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", FLAG_SPEC_ALLOW,
            // the kernel accepts it only together with NEW_LISTENER
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", FLAG_WAIT_KILLABLE_RECV | FLAG_NEW_LISTENER);

    /** jrunc_seccomp_compile's attribute bit: libseccomp's binary-tree program. */
    static final int ATTR_OPTIMIZE_TREE = 1;
    /** jrunc_seccomp_compile's attribute bit: runc's -ENOSYS stub in front of the program. */
    static final int ATTR_ENOSYS_STUB = 2;
    /** jrunc_seccomp_compile's failure stages (jrunc.h JRUNC_SC_*). */
    public static final int STAGE_ENCODING = 1, STAGE_INIT = 2, STAGE_ARCH_UNKNOWN = 3, STAGE_ARCH = 4,
            STAGE_RULE = 5, STAGE_EXPORT = 6;

    private SeccompCompiler() {}

    /** What the plan needs besides the config: the native compiler and the kernel's flags. */
    public interface Backend {
        /** Whether the kernel accepts these SECCOMP_FILTER_FLAG_* bits. */
        boolean flagSupported(long flags);

        /** The BPF program of an encoded filter; failures as runc words them. */
        byte[] compile(Encoded filter) throws PlanException;
    }

    /** No seccomp available: a config that asks for a filter is refused. */
    public static final Backend UNAVAILABLE = new Backend() {
        public boolean flagSupported(long flags) {
            return false;
        }

        public byte[] compile(Encoded filter) throws PlanException {
            throw new PlanException("linux.seccomp: this jrunc has no seccomp compiler (libseccomp)");
        }
    };

    /** One libseccomp rule: action value, syscall name, conditions. */
    public record Rule(long action, String name, List<Condition> conditions) {}

    /** One condition: argument index, SCMP_CMP_* value, value, valueTwo. */
    public record Condition(long index, long op, long value, long valueTwo) {}

    /**
     * The filter, resolved: what {@link #encode} writes for libjrunc, plus what the init needs
     * to load it.
     */
    public record Encoded(long defaultAction, List<String> archs, List<Rule> rules, int attributes,
                          List<String> named) {
        public byte[] bytes() {
            return encode(this);
        }
    }

    /** The loadable result: SECCOMP_FILTER_FLAG_* bits, whether a listener fd is made, the program. */
    public record Compiled(long flags, boolean listener, byte[] program) {}

    /** Null when the config asks for no filter (no defaultAction and no syscalls, as runc). */
    public static Compiled compile(Seccomp s, Backend backend) throws PlanException {
        Encoded e = resolve(s);
        if (e == null) {
            return null;
        }
        boolean listener = false;
        for (Rule r : e.rules()) {
            listener |= r.action() == ACT_NOTIFY;
        }
        if (listener && (s.listenerPath() == null || s.listenerPath().isEmpty())) {
            throw new PlanException("seccomp listenerPath is not set");
        }
        long flags = 0;
        if (s.flags() == null) {
            if (backend.flagSupported(FLAG_SPEC_ALLOW)) {
                flags |= FLAG_SPEC_ALLOW;
            }
        } else {
            for (String f : s.flags()) {
                Long bit = FLAGS.get(f);
                if (bit == null) {
                    throw new PlanException("seccomp flag " + f + " is not known to jrunc");
                }
                if (!backend.flagSupported(PROBE_BITS.get(f))) {
                    throw new PlanException("seccomp flag " + f + " is not supported by this kernel");
                }
                flags |= bit;
            }
        }
        if ((flags & FLAG_WAIT_KILLABLE_RECV) != 0 && !listener) {
            // the kernel refuses it without a listener; dropping it changes nothing
            flags &= ~FLAG_WAIT_KILLABLE_RECV;
        }
        if (listener) {
            flags |= FLAG_NEW_LISTENER;
        }
        return new Compiled(flags, listener, backend.compile(e));
    }

    /** The checks and conversions, no native call: null for "no filter". */
    public static Encoded resolve(Seccomp s) throws PlanException {
        if (s == null) {
            return null;
        }
        List<SeccompRule> syscalls = s.syscalls() == null ? List.of() : s.syscalls();
        if ((s.defaultAction() == null || s.defaultAction().isEmpty()) && syscalls.isEmpty()) {
            return null;
        }
        List<String> archs = new ArrayList<>();
        for (String a : s.architectures() == null ? List.<String>of() : s.architectures()) {
            String name = ARCHS.get(a);
            if (name == null) {
                throw new PlanException("string " + a + " is not a valid arch for seccomp");
            }
            archs.add(name);
        }
        if (s.flags() != null) {
            for (String f : s.flags()) {
                if (!FLAGS.containsKey(f)) {
                    throw new PlanException("seccomp flag " + f + " is not known to jrunc");
                }
            }
        }
        long def = action(s.defaultAction(), s.defaultErrnoRet());
        if (def == ACT_NOTIFY) {
            throw new PlanException("SCMP_ACT_NOTIFY cannot be used as default action");
        }
        List<Rule> rules = new ArrayList<>();
        for (SeccompRule call : syscalls) {
            long act = action(call.action(), call.errnoRet());
            List<SeccompArg> args = call.args() == null ? List.of() : call.args();
            for (SeccompArg a : args) {
                operator(a.op());
            }
            for (String name : call.names() == null ? List.<String>of() : call.names()) {
                if (name == null || name.isEmpty()) {
                    throw new PlanException("empty string is not a valid syscall");
                }
                if (name.indexOf('\0') >= 0) {
                    throw new PlanException("invalid syscall name \"" + name.replace("\0", "\\0") + "\"");
                }
                if (act == ACT_NOTIFY && name.equals("write")) {
                    throw new PlanException("SCMP_ACT_NOTIFY cannot be used for the write syscall");
                }
                if (act == ACT_NOTIFY && name.equals("sendmsg")) {
                    // jrunc-init hands the listener fd to jrunc with sendmsg: it would wait forever
                    throw new PlanException("SCMP_ACT_NOTIFY cannot be used for the sendmsg syscall");
                }
                if (act == def) {
                    continue; // redundant: libseccomp refuses a rule with the default action
                }
                List<Condition> conds = new ArrayList<>();
                int[] perIndex = new int[6];
                boolean repeated = false;
                for (SeccompArg a : args) {
                    long index = a.index() == null ? 0 : a.index();
                    if (index < 0 || index > 5) {
                        throw new PlanException("error creating seccomp syscall condition for syscall " + name
                                + ": syscalls only have up to 6 arguments (" + index + " given)");
                    }
                    repeated |= ++perIndex[(int) index] > 1;
                    conds.add(new Condition(index, operator(a.op()), nz(a.value()), nz(a.valueTwo())));
                }
                if (repeated) {
                    for (Condition c : conds) {
                        rules.add(new Rule(act, name, List.of(c)));
                    }
                } else {
                    rules.add(new Rule(act, name, conds));
                }
            }
        }
        // runc's threshold (counted per syscall name): libseccomp's binary tree beyond 32 rules
        int named = 0;
        for (SeccompRule call : syscalls) {
            named += call.names() == null ? 0 : call.names().size();
        }
        int attributes = named > 32 ? ATTR_OPTIMIZE_TREE : 0;
        List<String> stubNames = List.of();
        if (needsEnosysStub(def)) {
            // runc's patchbpf: the highest syscall number the profile names, per architecture,
            // from every name (whatever its action, known to this libseccomp or not)
            attributes |= ATTR_ENOSYS_STUB;
            Set<String> all = new LinkedHashSet<>();
            for (SeccompRule call : syscalls) {
                all.addAll(call.names() == null ? List.of() : call.names());
            }
            stubNames = List.copyOf(all);
        }
        return new Encoded(def, archs, rules, attributes, stubNames);
    }

    /**
     * runc's rule (libcontainer/seccomp/patchbpf): unless the default action lets syscalls
     * through (allow, log, trace), a syscall numbered above the highest one the profile names
     * for its architecture fails with ENOSYS instead of the default action, so that a program
     * newer than the profile falls back (glibc's clone3 to clone). The stub compares numbers
     * only: a syscall below that number the profile does not name still gets the default.
     */
    static boolean needsEnosysStub(long defaultAction) {
        long base = defaultAction & 0xffff0000L;
        return base != ACT_ALLOW && base != ACT_LOG && base != ACT_TRACE;
    }

    private static long action(String name, Long errnoRet) throws PlanException {
        Long base = name == null ? null : ACTIONS.get(name);
        if (base == null) {
            throw new PlanException("string " + name + " is not a valid action for seccomp");
        }
        if (base == ACT_ERRNO || base == ACT_TRACE) {
            // libseccomp keeps the low 16 bits (runc: int16(errnoRet))
            return base | ((errnoRet == null ? EPERM : errnoRet) & 0xffff);
        }
        return base;
    }

    private static long operator(String name) throws PlanException {
        Long op = name == null ? null : OPERATORS.get(name);
        if (op == null) {
            throw new PlanException("string " + name + " is not a valid operator for seccomp");
        }
        return op;
    }

    /** The flat little-endian encoding of jrunc_seccomp_compile (see jrunc.h). */
    static byte[] encode(Encoded e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u32(out, e.defaultAction());
        u32(out, e.attributes());
        u32(out, e.archs().size());
        for (String a : e.archs()) {
            str(out, a);
        }
        u32(out, e.rules().size());
        for (Rule r : e.rules()) {
            u32(out, r.action());
            str(out, r.name());
            u32(out, r.conditions().size());
            for (Condition c : r.conditions()) {
                u32(out, c.index());
                u32(out, c.op());
                u64(out, c.value());
                u64(out, c.valueTwo());
            }
        }
        u32(out, e.named().size());
        for (String n : e.named()) {
            str(out, n);
        }
        return out.toByteArray();
    }

    /** The message for a failure of jrunc_seccomp_compile, runc's where it has one. */
    public static String failure(Encoded e, int stage, int index, String cause) {
        return switch (stage) {
            case STAGE_INIT -> "error creating filter: " + cause;
            case STAGE_ARCH_UNKNOWN -> "error validating Seccomp architecture: " + cause + " ("
                    + e.archs().get(index) + " unknown to this libseccomp)";
            case STAGE_ARCH -> "error adding architecture to seccomp filter: " + cause;
            case STAGE_RULE -> "error adding seccomp filter rule for syscall " + e.rules().get(index).name() + ": " + cause;
            case STAGE_EXPORT -> "error exporting seccomp filter: " + cause;
            default -> "seccomp filter: malformed encoding: " + cause;
        };
    }

    public static List<String> knownActions() {
        return List.copyOf(new TreeSet<>(ACTIONS.keySet()));
    }

    public static List<String> knownOperators() {
        return List.copyOf(new TreeSet<>(OPERATORS.keySet()));
    }

    public static List<String> knownArchs() {
        return List.copyOf(new TreeSet<>(ARCHS.keySet()));
    }

    public static List<String> knownFlags() {
        return List.copyOf(FLAGS.keySet());
    }

    /** The known flags the kernel accepts. */
    public static List<String> supportedFlags(Backend backend) {
        List<String> out = new ArrayList<>();
        for (String f : FLAGS.keySet()) {
            if (backend.flagSupported(PROBE_BITS.get(f))) {
                out.add(f);
            }
        }
        return out;
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        u32(out, v);
        u32(out, v >>> 32);
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private static <V> Map<String, V> map(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            V v = (V) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return m;
    }
}
