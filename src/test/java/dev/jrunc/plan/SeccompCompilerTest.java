package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.json.Json;
import dev.jrunc.plan.SeccompCompiler.Condition;
import dev.jrunc.plan.SeccompCompiler.Rule;
import dev.jrunc.spec.model.Seccomp;
import dev.jrunc.sys.ffm.FfmSyscalls;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** linux.seccomp to libseccomp rules, runc's conversions and messages; the encoding; libseccomp itself. */
class SeccompCompilerTest {

    static Seccomp seccomp(String json) throws Exception {
        return Json.mapper().readValue(json, Seccomp.class);
    }

    /** A backend that accepts the given flags and records what it compiles. */
    static final class Recording implements SeccompCompiler.Backend {
        final List<Long> supported;
        final List<SeccompCompiler.Encoded> compiled = new ArrayList<>();

        Recording(Long... supported) {
            this.supported = List.of(supported);
        }

        public boolean flagSupported(long flags) {
            return supported.contains(flags);
        }

        public byte[] compile(SeccompCompiler.Encoded filter) {
            compiled.add(filter);
            return new byte[8];
        }
    }

    static String message(String json) {
        return assertThrows(PlanException.class, () -> SeccompCompiler.compile(seccomp(json), new Recording(2L, 4L))).getMessage();
    }

    @Test
    void actionsAndErrnos() throws Exception {
        SeccompCompiler.Encoded e = SeccompCompiler.resolve(seccomp("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "syscalls": [
                  {"names": ["a1"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["a2"], "action": "SCMP_ACT_ERRNO"},
                  {"names": ["a3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                  {"names": ["a4"], "action": "SCMP_ACT_KILL"},
                  {"names": ["a5"], "action": "SCMP_ACT_KILL_PROCESS"},
                  {"names": ["a6"], "action": "SCMP_ACT_KILL_THREAD"},
                  {"names": ["a7"], "action": "SCMP_ACT_TRAP"},
                  {"names": ["a8"], "action": "SCMP_ACT_TRACE"},
                  {"names": ["a9"], "action": "SCMP_ACT_TRACE", "errnoRet": 5},
                  {"names": ["a10"], "action": "SCMP_ACT_LOG"},
                  {"names": ["a11"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}"""));
        assertEquals(0x00050000L | 38, e.defaultAction());
        List<Long> actions = e.rules().stream().map(Rule::action).toList();
        // a11 equals the default action: dropped, as runc does (libseccomp refuses such a rule)
        assertEquals(List.of(0x7fff0000L, 0x00050001L, 0x0005000dL, 0L, 0x80000000L, 0L, 0x00030000L, 0x7ff00001L,
                0x7ff00005L, 0x7ffc0000L), actions);
    }

    @Test
    void conditionsOnTheSameArgumentBecomeOneRuleEach() throws Exception {
        SeccompCompiler.Encoded e = SeccompCompiler.resolve(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [
                    {"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 10, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [
                    {"index": 0, "value": 8, "op": "SCMP_CMP_NE"}, {"index": 1, "value": 3, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]}]}"""));
        assertEquals(List.of(
                new Rule(0x00050001L, "kill", List.of(new Condition(1, 4, 15, 0))),
                new Rule(0x00050001L, "kill", List.of(new Condition(1, 4, 10, 0))),
                new Rule(0x00050001L, "personality", List.of(new Condition(0, 1, 8, 0), new Condition(1, 7, 3, 1)))),
                e.rules());
    }

    @Test
    void encodingIsTheOneLibjruncReads() throws Exception {
        SeccompCompiler.Encoded e = SeccompCompiler.resolve(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
                  {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}]}]}"""));
        assertEquals("0000ff7f" + "00000000" + "01000000" + "7838365f363400" + "01000000"
                + "01000500" + "6b696c6c00" + "01000000" + "01000000" + "04000000" + "0f00000000000000" + "0000000000000000"
                + "00000000", // no names for the stub (an allowing default)
                HexFormat.of().formatHex(e.bytes()));
        SeccompCompiler.Encoded stub = SeccompCompiler.resolve(seccomp("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}"""));
        assertEquals("01000500" + "02000000" + "00000000" + "01000000" + "0000ff7f" + "7265616400" + "00000000"
                + "01000000" + "7265616400", HexFormat.of().formatHex(stub.bytes()));
    }

    @Test
    void runcsMessages() {
        assertEquals("string SCMP_ACT_FOO is not a valid action for seccomp", message("{\"defaultAction\": \"SCMP_ACT_FOO\"}"));
        assertEquals("string SCMP_ARCH_FOO is not a valid arch for seccomp",
                message("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_FOO\"]}"));
        assertEquals("string SCMP_CMP_FOO is not a valid operator for seccomp", message("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO",
                  "args": [{"index": 1, "value": 1, "op": "SCMP_CMP_FOO"}]}]}"""));
        assertEquals("error creating seccomp syscall condition for syscall kill: syscalls only have up to 6 arguments (7 given)", message("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO",
                  "args": [{"index": 7, "value": 1, "op": "SCMP_CMP_EQ"}]}]}"""));
        assertEquals("SCMP_ACT_NOTIFY cannot be used as default action", message("{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}"));
        assertEquals("SCMP_ACT_NOTIFY cannot be used for the write syscall", message("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/x", "syscalls": [{"names": ["write"], "action": "SCMP_ACT_NOTIFY"}]}"""));
        assertEquals("SCMP_ACT_NOTIFY cannot be used for the sendmsg syscall", message("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/x", "syscalls": [{"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]}"""));
        assertEquals("seccomp listenerPath is not set", message("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}"""));
        assertEquals("empty string is not a valid syscall", message("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [""], "action": "SCMP_ACT_ERRNO"}]}"""));
        assertEquals("seccomp flag SECCOMP_FILTER_FLAG_FOO is not known to jrunc",
                message("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_FOO\"]}"));
        assertEquals("seccomp flag SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported by this kernel",
                message("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}"));
    }

    @Test
    void flagsAndListener() throws Exception {
        Recording all = new Recording(1L, 2L, 4L, 40L);
        // absent flags: SPEC_ALLOW where the kernel has it (runc); none where it has not
        assertEquals(4, SeccompCompiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}"), all).flags());
        assertEquals(0, SeccompCompiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}"), new Recording()).flags());
        // an empty list: no flag at all; TSYNC accepted, not set
        assertEquals(0, SeccompCompiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": []}"), all).flags());
        assertEquals(2, SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]}"""), all).flags());
        SeccompCompiler.Compiled c = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/a.sock",
                 "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"], "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}"""), all);
        assertTrue(c.listener());
        assertEquals(SeccompCompiler.FLAG_NEW_LISTENER | SeccompCompiler.FLAG_WAIT_KILLABLE_RECV, c.flags());
    }

    @Test
    void noFilterWithoutDefaultActionAndSyscalls() throws Exception {
        assertNull(SeccompCompiler.compile(seccomp("{}"), new Recording()));
        assertNull(SeccompCompiler.compile(null, new Recording()));
    }

    @Test
    void binaryTreeBeyond32Syscalls() throws Exception {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            names.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
        }
        String json = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [" + names + "], \"action\": \"SCMP_ACT_ALLOW\"}]}";
        int tree = SeccompCompiler.ATTR_OPTIMIZE_TREE;
        assertEquals(tree, SeccompCompiler.resolve(seccomp(json)).attributes() & tree);
        assertEquals(0, SeccompCompiler.resolve(seccomp(json.replace(",\"s32\"", ""))).attributes() & tree);
    }

    @Test
    void theEnosysStubUnlessTheDefaultLetsSyscallsThrough() throws Exception {
        String rules = ", \"syscalls\": [{\"names\": [\"mkdir\", \"no_such_syscall\"], \"action\": \"SCMP_ACT_ALLOW\"},"
                + " {\"names\": [\"clone3\", \"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
        for (String def : List.of("SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP")) {
            SeccompCompiler.Encoded e = SeccompCompiler.resolve(seccomp("{\"defaultAction\": \"" + def + "\"" + rules));
            assertEquals(SeccompCompiler.ATTR_ENOSYS_STUB, e.attributes() & SeccompCompiler.ATTR_ENOSYS_STUB, def);
            // every name counts for the highest number: unknown ones and those with the default action too
            assertEquals(List.of("mkdir", "no_such_syscall", "clone3"), e.named(), def);
        }
        for (String def : List.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE")) {
            SeccompCompiler.Encoded e = SeccompCompiler.resolve(seccomp("{\"defaultAction\": \"" + def + "\"" + rules));
            assertEquals(0, e.attributes() & SeccompCompiler.ATTR_ENOSYS_STUB, def);
            assertEquals(List.of(), e.named(), def);
        }
    }

    /** The stub in front of libseccomp's program: it loads the arch first and returns ERRNO(ENOSYS). */
    @Test
    void libseccompProgramGetsTheEnosysStub() throws Exception {
        SeccompCompiler.Backend real = Security.backend(new FfmSyscalls());
        String profile = """
                {"defaultAction": "%s", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                 "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_%s"}]}""";
        byte[] stubbed = SeccompCompiler.compile(seccomp(profile.formatted("SCMP_ACT_ERRNO", "ALLOW")), real).program();
        byte[] plain = SeccompCompiler.compile(seccomp(profile.formatted("SCMP_ACT_ALLOW", "ERRNO")), real).program();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(stubbed).order(java.nio.ByteOrder.nativeOrder());
        assertEquals(0x20, b.getShort(0) & 0xffff, "ld [abs]");
        assertEquals(4, b.getInt(4), "offset of seccomp_data.arch");
        boolean enosys = false;
        for (int i = 0; i < stubbed.length; i += 8) {
            enosys |= (b.getShort(i) & 0xffff) == 0x06 && b.getInt(i + 4) == 0x00050000 + 38;
        }
        assertTrue(enosys, "a ret ERRNO(ENOSYS)");
        ByteBuffer p = ByteBuffer.wrap(plain).order(java.nio.ByteOrder.nativeOrder());
        for (int i = 0; i < plain.length; i += 8) {
            assertTrue(!((p.getShort(i) & 0xffff) == 0x06 && p.getInt(i + 4) == 0x00050000 + 38), "no ENOSYS without the stub");
        }
    }

    /** libseccomp through libjrunc (FFM): a real program, the same for the same filter. */
    @Test
    void libseccompCompilesDeterministically() throws Exception {
        SeccompCompiler.Backend real = Security.backend(new FfmSyscalls());
        Seccomp s = seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], "syscalls": [
                  {"names": ["mkdir", "no_such_syscall"], "action": "SCMP_ACT_ERRNO"},
                  {"names": ["kill"], "action": "SCMP_ACT_KILL", "args": [{"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}]}]}""");
        byte[] a = SeccompCompiler.compile(s, real).program();
        assertTrue(a.length > 0 && a.length % 8 == 0, "program of " + a.length + " bytes");
        assertArrayEquals(a, SeccompCompiler.compile(s, real).program());
    }
}
