package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import dev.jrunc.spec.model.Capabilities;
import dev.jrunc.spec.model.Process;
import dev.jrunc.spec.model.User;
import java.util.List;
import org.junit.jupiter.api.Test;

/** runc's rules for exec flags over the config's process (getProcess) and validateProcessSpec. */
class ExecMergeTest {
    static Process base(List<String> inheritable) {
        return new Process(false, null, new User(1L, 2L, null, List.of(3L), null, null), List.of("sleep", "9"), null,
                List.of("PATH=/bin", "A=1"), "/srv", new Capabilities(List.of("CAP_KILL"), List.of("CAP_KILL"), inheritable,
                List.of("CAP_KILL"), List.of(), null), null, false, null, null, null, null, null, null, null);
    }

    static ExecOptions flags(String user, List<Long> gids, List<String> caps, String cwd, List<String> env, Boolean nnp) {
        return new ExecOptions(null, List.of("ls", "-l"), cwd, env, user, gids, caps, nnp, null, null, null, false, null, 0, false, null, null);
    }

    @Test
    void noFlagsKeepTheConfigsProcessButTheArgs() throws Exception {
        Process p = Executor.merge(base(null), flags(null, null, null, null, null, null));
        assertEquals(List.of("ls", "-l"), p.args());
        assertEquals("/srv", p.cwd());
        assertEquals(List.of("PATH=/bin", "A=1"), p.env());
        assertEquals(1L, p.user().uid());
        assertEquals(2L, p.user().gid());
        assertEquals(List.of(3L), p.user().additionalGids());
        assertEquals(false, p.noNewPrivileges());
    }

    @Test
    void flagsOverrideAndAppend() throws Exception {
        Process p = Executor.merge(base(null), flags("7:8", List.of(9L), List.of("CAP_SYS_ADMIN"), "/tmp", List.of("B=2"), true));
        assertEquals(7L, p.user().uid());
        assertEquals(8L, p.user().gid());
        assertEquals(List.of(3L, 9L), p.user().additionalGids());
        assertEquals("/tmp", p.cwd());
        assertEquals(List.of("PATH=/bin", "A=1", "B=2"), p.env());
        assertEquals(true, p.noNewPrivileges());
        assertEquals(List.of("CAP_KILL", "CAP_SYS_ADMIN"), p.capabilities().bounding());
        assertEquals(List.of("CAP_KILL", "CAP_SYS_ADMIN"), p.capabilities().effective());
        assertEquals(List.of("CAP_KILL", "CAP_SYS_ADMIN"), p.capabilities().permitted());
        assertNull(p.capabilities().inheritable());
        assertEquals(List.of(), p.capabilities().ambient(), "no inheritable set: --cap adds no ambient capability");
    }

    @Test
    void theTerminalComesFromTheTtyFlagNotFromTheConfig() throws Exception {
        Process b = base(null);
        Process withTerminal = new Process(true, b.consoleSize(), b.user(), b.args(), b.commandLine(), b.env(), b.cwd(),
                b.capabilities(), b.rlimits(), b.noNewPrivileges(), b.apparmorProfile(), b.oomScoreAdj(), b.scheduler(),
                b.selinuxLabel(), b.ioPriority(), b.execCPUAffinity(), b.extra());
        assertEquals(false, Executor.merge(withTerminal, flags(null, null, null, null, null, null)).terminal());
        ExecOptions t = new ExecOptions(null, List.of("sh"), null, null, null, null, null, null, null, null, true, false,
                null, 0, false, null, null);
        assertEquals(true, Executor.merge(b, t).terminal());
    }

    @Test
    void capAddsAmbientOnlyWithAnInheritableSet() throws Exception {
        Process p = Executor.merge(base(List.of()), flags(null, null, List.of("CAP_CHOWN"), null, null, null));
        assertEquals(List.of("CAP_CHOWN"), p.capabilities().ambient());
        assertEquals(List.of(), p.capabilities().inheritable());
    }

    @Test
    void uidOnlyKeepsTheConfigsGid() throws Exception {
        Process p = Executor.merge(base(null), flags("5", null, null, null, null, null));
        assertEquals(5L, p.user().uid());
        assertEquals(2L, p.user().gid());
    }

    @Test
    void runcsErrors() {
        assertEquals("parsing foo as int for uid failed: strconv.Atoi: parsing \"foo\": invalid syntax",
                assertThrows(JruncException.class, () -> Executor.merge(base(null), flags("foo", null, null, null, null, null))).getMessage());
        assertEquals("parsing x as int for gid failed: strconv.Atoi: parsing \"x\": invalid syntax",
                assertThrows(JruncException.class, () -> Executor.merge(base(null), flags("1:x", null, null, null, null, null))).getMessage());
        assertEquals("additional-gids must be a positive number -3",
                assertThrows(JruncException.class, () -> Executor.merge(base(null), flags(null, List.of(-3L), null, null, null, null))).getMessage());
        Process relative = new Process(null, null, null, List.of("x"), null, null, "rel", null, null, null, null, null, null, null, null, null, null);
        assertEquals("Cwd must be an absolute path", assertThrows(JruncException.class, () -> Executor.validate(relative)).getMessage());
        Process noArgs = new Process(null, null, null, List.of(), null, null, "/", null, null, null, null, null, null, null, null, null, null);
        assertEquals("args must not be empty", assertThrows(JruncException.class, () -> Executor.validate(noArgs)).getMessage());
        Process noCwd = new Process(null, null, null, List.of("x"), null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertEquals("Cwd property must not be empty", assertThrows(JruncException.class, () -> Executor.validate(noCwd)).getMessage());
    }
}
