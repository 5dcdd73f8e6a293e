package dev.jrunc.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.DeviceEmulator;
import dev.jrunc.cgroups.DeviceRules;
import dev.jrunc.cgroups.DeviceRules.Rule;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 device program: its shape (runc's), and what it decides, run by a small eBPF
 * interpreter of the opcodes it may use against the rules' meaning.
 */
class DeviceFilterTest {
    private static final int R = DeviceFilter.ACC_READ, W = DeviceFilter.ACC_WRITE, M = DeviceFilter.ACC_MKNOD;

    // --- a tiny eBPF interpreter: only what DeviceFilter emits, anything else fails the test

    /** Runs the program on a bpf_cgroup_dev_ctx; returns R0 (1 allow, 0 deny). */
    static long run(byte[] program, char type, long major, long minor, int access) {
        assertEquals(0, program.length % 8, "whole instructions");
        int n = program.length / 8;
        long[] reg = new long[11];
        boolean[] ctx = new boolean[11];
        ctx[1] = true; // R1 points at the context
        int[] context = {(type == 'b' ? DeviceFilter.DEV_BLOCK : DeviceFilter.DEV_CHAR) | access << 16, (int) major, (int) minor};
        for (int pc = 0, steps = 0; ; pc++, steps++) {
            assertTrue(pc >= 0 && pc < n, "pc " + pc + " outside the program");
            assertTrue(steps <= n, "no loops");
            int code = program[pc * 8] & 0xff;
            int dst = program[pc * 8 + 1] & 0x0f;
            int src = (program[pc * 8 + 1] >> 4) & 0x0f;
            int off = (short) ((program[pc * 8 + 2] & 0xff) | (program[pc * 8 + 3] & 0xff) << 8);
            int imm = (program[pc * 8 + 4] & 0xff) | (program[pc * 8 + 5] & 0xff) << 8 | (program[pc * 8 + 6] & 0xff) << 16
                    | (program[pc * 8 + 7] & 0xff) << 24;
            switch (code) {
                case 0x61 -> { // ldxw dst, [src + off]
                    assertTrue(ctx[src] && off % 4 == 0 && off >= 0 && off < 12, "load from the context only");
                    reg[dst] = context[off / 4] & 0xffffffffL;
                    ctx[dst] = false;
                }
                case 0x54 -> reg[dst] = (reg[dst] & imm) & 0xffffffffL;          // and32 dst, imm
                case 0x74 -> reg[dst] = ((reg[dst] & 0xffffffffL) >>> imm);       // rsh32 dst, imm
                case 0xbc -> {                                                     // mov32 dst, src
                    reg[dst] = reg[src] & 0xffffffffL;
                    ctx[dst] = false;
                }
                case 0xb4 -> {                                                     // mov32 dst, imm
                    reg[dst] = imm & 0xffffffffL;
                    ctx[dst] = false;
                }
                case 0x55, 0x5d -> {                                               // jne dst, imm|src, +off
                    assertTrue(off >= 0, "forward jumps only");
                    long other = code == 0x55 ? (long) imm : reg[src];
                    if (reg[dst] != other) {
                        pc += off;
                    }
                }
                case 0x95 -> {
                    return reg[0];
                }
                default -> throw new AssertionError("opcode 0x" + Integer.toHexString(code) + " at " + pc);
            }
        }
    }

    // --- the meaning of the rules, written out independently of DeviceEmulator

    /**
     * runc's v2 decision: after the rules, each (type, major, minor) holds the access letters the
     * rules naming exactly it granted against the default (and took back with the default's
     * verdict; an 'a' rule sets the default and forgets all). A request gets the opposite of the
     * default when one of them matches it (wildcards match anything) and holds every letter asked.
     */
    static boolean expected(List<Rule> rules, char type, long major, long minor, int access) {
        boolean defaultAllow = false;
        Map<List<Long>, Integer> held = new HashMap<>();
        for (Rule r : rules) {
            if (r.type() == 'a') {
                defaultAllow = r.allow();
                held.clear();
                continue;
            }
            List<Long> key = List.of((long) r.type(), r.major(), r.minor());
            int bits = bits(r.access());
            int now = held.getOrDefault(key, 0);
            held.put(key, r.allow() != defaultAllow ? (now | bits) : (now & ~bits));
        }
        for (Map.Entry<List<Long>, Integer> e : held.entrySet()) {
            long t = e.getKey().get(0), ma = e.getKey().get(1), mi = e.getKey().get(2);
            if (t == type && (ma < 0 || ma == major) && (mi < 0 || mi == minor) && (access & ~e.getValue()) == 0 && e.getValue() != 0) {
                return !defaultAllow;
            }
        }
        return defaultAllow;
    }

    private static int bits(String access) {
        return (access.contains("r") ? R : 0) | (access.contains("w") ? W : 0) | (access.contains("m") ? M : 0);
    }

    private static Rule rule(boolean allow, String text) {
        if (text.equals("a")) {
            return new Rule(allow, 'a', -1, -1, "rwm");
        }
        String[] f = text.split("[ :]");
        return new Rule(allow, f[0].charAt(0), f[1].equals("*") ? -1 : Long.parseLong(f[1]), f[2].equals("*") ? -1 : Long.parseLong(f[2]), f[3]);
    }

    private static boolean allowed(byte[] program, String request) {
        String[] f = request.split("[ :]");
        return run(program, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), bits(f[3])) == 1;
    }

    // --- shape

    @Test
    void programHasRuncsShape() throws Exception {
        List<DeviceFilter.Insn> p = DeviceFilter.program(DeviceEmulator.of(List.of(rule(false, "a"), rule(true, "c 1:3 rwm"),
                rule(true, "b 8:* r"))));
        List<DeviceFilter.Insn> want = List.of(
                // R2 type, R3 access, R4 major, R5 minor from struct bpf_cgroup_dev_ctx
                new DeviceFilter.Insn(0x61, 2, 1, 0, 0), new DeviceFilter.Insn(0x54, 2, 0, 0, 0xffff),
                new DeviceFilter.Insn(0x61, 3, 1, 0, 0), new DeviceFilter.Insn(0x74, 3, 0, 0, 16),
                new DeviceFilter.Insn(0x61, 4, 1, 4, 0), new DeviceFilter.Insn(0x61, 5, 1, 8, 0),
                // c 1:3 rwm: no access check; each miss jumps past the block
                new DeviceFilter.Insn(0x55, 2, 0, 4, DeviceFilter.DEV_CHAR), new DeviceFilter.Insn(0x55, 4, 0, 3, 1),
                new DeviceFilter.Insn(0x55, 5, 0, 2, 3), new DeviceFilter.Insn(0xb4, 0, 0, 0, 1), new DeviceFilter.Insn(0x95, 0, 0, 0, 0),
                // b 8:* r: access check (R1 = R3 & r; R1 != R3), no minor check
                new DeviceFilter.Insn(0x55, 2, 0, 6, DeviceFilter.DEV_BLOCK), new DeviceFilter.Insn(0xbc, 1, 3, 0, 0),
                new DeviceFilter.Insn(0x54, 1, 0, 0, R), new DeviceFilter.Insn(0x5d, 1, 3, 3, 0),
                new DeviceFilter.Insn(0x55, 4, 0, 2, 8), new DeviceFilter.Insn(0xb4, 0, 0, 0, 1), new DeviceFilter.Insn(0x95, 0, 0, 0, 0),
                // the default: deny
                new DeviceFilter.Insn(0xb4, 0, 0, 0, 0), new DeviceFilter.Insn(0x95, 0, 0, 0, 0));
        assertEquals(want, p);
        byte[] bytes = DeviceFilter.encode(p);
        assertEquals(want.size() * 8, bytes.length);
        assertArrayEquals(new byte[] {0x61, 0x12, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(bytes, 0, 8), "ldxw r2, [r1+0]");
        assertArrayEquals(new byte[] {0x54, 0x02, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0}, Arrays.copyOfRange(bytes, 8, 16), "and32 r2, 0xffff");
        assertArrayEquals(new byte[] {0x55, 0x02, 4, 0, 2, 0, 0, 0}, Arrays.copyOfRange(bytes, 48, 56), "jne r2, 2, +4");
        assertArrayEquals(new byte[] {0x5d, 0x31, 3, 0, 0, 0, 0, 0}, Arrays.copyOfRange(bytes, 112, 120), "jne r1, r3, +3");
    }

    @Test
    void allowAllIsTheDefaultAloneAndDenyRulesReturnZero() throws Exception {
        List<DeviceFilter.Insn> p = DeviceFilter.program(DeviceEmulator.of(List.of(rule(true, "a"), rule(false, "c 1:3 rwm"))));
        assertEquals(6 + 5 + 2, p.size());
        assertEquals(new DeviceFilter.Insn(0xb4, 0, 0, 0, 0), p.get(9), "the exception denies");
        assertEquals(new DeviceFilter.Insn(0xb4, 0, 0, 0, 1), p.get(11), "the default allows");
    }

    // --- decisions

    @Test
    void runcsDefaultSpecAllowsItsListAndMknodOnly() throws Exception {
        Resources r = Json.mapper().readValue("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}", Resources.class);
        byte[] p = DeviceFilter.compile(DeviceRules.effective(r.devices(), List.of()));
        for (String ok : List.of("c 1:3 r", "c 1:3 w", "c 1:3 rw", "c 1:3 m", "c 1:5 r", "c 1:7 rw", "c 1:8 r", "c 1:9 r", "c 5:0 rw",
                "c 5:2 rw", "c 136:0 rw", "c 136:4095 w", "c 10:200 rw", "c 4:1 m", "b 8:0 m", "c 999:999 m")) {
            assertTrue(allowed(p, ok), ok);
        }
        for (String no : List.of("c 1:4 r", "c 1:1 rw", "b 8:0 r", "b 8:0 w", "b 1:3 r", "c 10:229 rw", "c 137:0 r", "c 5:3 w",
                "c 4:1 rw", "b 7:0 rw", "c 5:1 rw")) {
            assertTrue(!allowed(p, no), no);
        }
    }

    @Test
    void configsDevicesAndPartialAccess() throws Exception {
        Resources r = Json.mapper().readValue(
                "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"b\",\"major\":7,\"access\":\"r\"}]}",
                Resources.class);
        Device fuse = Json.mapper().readValue("{\"type\":\"c\",\"path\":\"/dev/fuse\",\"major\":10,\"minor\":229}", Device.class);
        Device fifo = Json.mapper().readValue("{\"type\":\"p\",\"path\":\"/dev/f\"}", Device.class);
        byte[] p = DeviceFilter.compile(DeviceRules.effective(r.devices(), List.of(fuse, fifo)));
        assertTrue(allowed(p, "b 7:3 r"));
        assertTrue(!allowed(p, "b 7:3 w"));
        assertTrue(!allowed(p, "b 7:3 rw"), "every letter asked must be granted by one rule");
        assertTrue(!allowed(p, "c 10:229 rw"), "linux.devices get no rule of their own (runc)");
        Device nul = Json.mapper().readValue("{\"type\":\"c\",\"path\":\"/dev/null\",\"major\":1,\"minor\":3}", Device.class);
        byte[] q = DeviceFilter.compile(DeviceRules.effective(r.devices(), List.of(nul)));
        assertTrue(!allowed(q, "c 1:3 rw"), "a config device at /dev/null drops the default allow of 1:3 (runc)");
        assertTrue(allowed(q, "c 1:5 rw"));
    }

    @Test
    void lettersMergeAndSubtractPerDevice() throws Exception {
        byte[] p = DeviceFilter.compile(List.of(rule(false, "a"), rule(true, "c 1:3 r"), rule(true, "c 1:3 w"), rule(true, "c 1:5 rwm"),
                rule(false, "c 1:5 w")));
        assertTrue(allowed(p, "c 1:3 rw"), "r and w of two rules are one exception");
        assertTrue(!allowed(p, "c 1:3 m"));
        assertTrue(allowed(p, "c 1:5 r"));
        assertTrue(allowed(p, "c 1:5 m"));
        assertTrue(!allowed(p, "c 1:5 w"), "w taken back");
        assertTrue(!allowed(p, "c 1:5 rw"));
    }

    @Test
    void aResetsEverythingBeforeIt() throws Exception {
        byte[] deny = DeviceFilter.compile(List.of(rule(true, "c 1:3 rwm"), rule(false, "a")));
        assertTrue(!allowed(deny, "c 1:3 r"));
        assertEquals(8, deny.length / 8, "the prologue and the default only");
        byte[] allow = DeviceFilter.compile(List.of(rule(false, "c 1:3 rwm"), rule(true, "a"), rule(false, "c 1:5 rwm"), rule(false, "b 8:* w")));
        assertTrue(allowed(allow, "c 1:3 r"), "the deny before 'a' is gone");
        assertTrue(!allowed(allow, "c 1:5 r"));
        assertTrue(allowed(allow, "c 1:6 rw"));
        assertTrue(!allowed(allow, "b 8:1 w"));
        assertTrue(allowed(allow, "b 8:1 r"));
        // runc's program: a deny of w alone does not match an open for rw (every letter asked must be in the rule)
        assertTrue(allowed(allow, "b 8:1 rw"));
    }

    @Test
    void noRulesDenyEverything() throws Exception {
        // an emulator starts denying (runc's), so rules without 'a' are an allow list
        byte[] p = DeviceFilter.compile(List.of(rule(true, "c 1:3 r")));
        assertTrue(allowed(p, "c 1:3 r"));
        assertTrue(!allowed(p, "c 1:4 r"));
    }

    @Test
    void holesInWildcardsAreRefusedInRuncsWords() {
        JruncException e = assertThrows(JruncException.class,
                () -> DeviceFilter.compile(List.of(rule(false, "a"), rule(true, "c 1:* rwm"), rule(false, "c 1:3 r"))));
        assertEquals("remove 'allow' exception: requested rule [{99 1 3} r] not supported by devices cgroupv1 "
                + "(cannot punch hole in existing wildcard rule [{99 1 -1} rwm])", e.getMessage());
        e = assertThrows(JruncException.class,
                () -> DeviceFilter.compile(List.of(rule(true, "a"), rule(false, "b *:* w"), rule(true, "b 8:0 rw"))));
        assertEquals("remove 'deny' exception: requested rule [{98 8 0} rw] not supported by devices cgroupv1 "
                + "(cannot punch hole in existing wildcard rule [{98 -1 -1} w])", e.getMessage());
    }

    @Test
    void largeNumbersAndTypesAreChecked() {
        assertThrows(JruncException.class, () -> DeviceFilter.compile(List.of(new Rule(true, 'c', 1L << 32, 1, "r"))));
        assertThrows(JruncException.class, () -> DeviceFilter.compile(List.of(new Rule(true, 'x', 1, 1, "r"))));
    }

    /** Random rule lists over a small universe of devices: the program decides every request as the rules mean. */
    @Test
    void randomRuleListsDecideAsTheyMean() throws Exception {
        Random random = new Random(4);
        char[] types = {'a', 'b', 'c', 'c'};
        long[] numbers = {-1, 1, 3};
        String[] accesses = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
        int compiled = 0;
        for (int round = 0; round < 2000; round++) {
            List<Rule> rules = new ArrayList<>();
            int count = 1 + random.nextInt(7);
            for (int i = 0; i < count; i++) {
                char t = types[random.nextInt(types.length)];
                rules.add(t == 'a' ? new Rule(random.nextBoolean(), 'a', -1, -1, "rwm")
                        : new Rule(random.nextBoolean(), t, numbers[random.nextInt(3)], numbers[random.nextInt(3)],
                                accesses[random.nextInt(accesses.length)]));
            }
            byte[] p;
            try {
                p = DeviceFilter.compile(rules);
            } catch (JruncException e) {
                assertTrue(e.getMessage().contains("cannot punch hole"), e.getMessage());
                continue;
            }
            compiled++;
            for (char t : new char[] {'b', 'c'}) {
                for (long major : new long[] {1, 2, 3}) {
                    for (long minor : new long[] {1, 2, 3}) {
                        for (int access : new int[] {R, W, M, R | W}) {
                            assertEquals(expected(rules, t, major, minor, access), run(p, t, major, minor, access) == 1,
                                    rules + " on " + t + " " + major + ":" + minor + " access " + access);
                        }
                    }
                }
            }
        }
        assertTrue(compiled > 1000, "most random lists compile: " + compiled);
    }
}
