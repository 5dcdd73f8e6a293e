package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.spec.model.Hook;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.FakeSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host-side hooks through {@link FakeSyscalls#spawn}, with a fake /proc for the memfds. */
class HookRunnerTest {
    private static final byte[] STATE = "{\"id\":\"c1\"}".getBytes(StandardCharsets.UTF_8);

    private static Hook hook(String path, List<String> args, List<String> env, Integer timeout) {
        return new Hook(path, args, env, timeout, Map.of());
    }

    private static RuntimeEnvironment env(Path proc) {
        return new RuntimeEnvironment(null, Map.of("PATH", "/bin", "HOME", "/root"), proc, Files::delete);
    }

    @Test
    void eachHookGetsItsArgvEnvAndTheStateOnStdin(@TempDir Path proc) throws Exception {
        FakeSyscalls sys = new FakeSyscalls(proc);
        List<String> stdin = new ArrayList<>();
        sys.onSpawn = child -> {
            stdin.add(new String(sys.memfdContents(child.sources().get(0)), StandardCharsets.UTF_8));
            sys.exitChild(child.pid(), 0);
        };
        HookRunner.run(sys, env(proc), List.of(hook("/bin/a", null, null, null),
                hook("/bin/b", List.of("b0", "x"), List.of("ONLY=1"), 5)), STATE);
        assertEquals(2, sys.spawned.size());
        assertEquals(List.of("/bin/a"), sys.spawned.get(0).argv());
        assertEquals(List.of("HOME=/root", "PATH=/bin"), sys.spawned.get(0).envp().stream().sorted().toList(),
                "no env: jrunc's own environment");
        assertEquals(List.of("b0", "x"), sys.spawned.get(1).argv());
        assertEquals(List.of("ONLY=1"), sys.spawned.get(1).envp());
        assertEquals(List.of("{\"id\":\"c1\"}", "{\"id\":\"c1\"}"), stdin);
        assertEquals(3, sys.spawned.get(0).fds().size(), "stdin, stdout, stderr and nothing else");
        assertTrue(sys.openFds().isEmpty(), "fds: " + sys.openFds());
        assertTrue(sys.children().isEmpty(), "every hook reaped");
    }

    @Test
    void aFailingHookStopsTheRestWithItsOutput(@TempDir Path proc) throws Exception {
        FakeSyscalls sys = new FakeSyscalls(proc);
        sys.onSpawn = child -> {
            try {
                Files.writeString(proc.resolve("self/fd/" + child.sources().get(1)), "out");
                Files.writeString(proc.resolve("self/fd/" + child.sources().get(2)), "err");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            sys.exitChild(child.pid(), 3);
        };
        JruncException e = assertThrows(JruncException.class, () -> HookRunner.run(sys, env(proc),
                List.of(hook("/bin/a", null, null, null), hook("/bin/b", null, null, null)), STATE));
        assertEquals("error running hook #0: error running hook: exit status 3, stdout: out, stderr: err", e.getMessage());
        assertEquals(1, sys.spawned.size());
        assertTrue(sys.openFds().isEmpty(), "fds: " + sys.openFds());
    }

    @Test
    void aMissingProgramIsForkExecsError(@TempDir Path proc) throws Exception {
        FakeSyscalls sys = new FakeSyscalls(proc);
        sys.failNth("spawn", 1, Errno.ENOENT);
        JruncException e = assertThrows(JruncException.class,
                () -> HookRunner.run(sys, env(proc), List.of(hook("/x", null, null, null)), STATE));
        assertEquals("error running hook #0: fork/exec /x: no such file or directory", e.getMessage());
        assertTrue(sys.openFds().isEmpty(), "fds: " + sys.openFds());
    }

    @Test
    void aHookPastItsTimeoutIsKilledAndReaped(@TempDir Path proc) throws Exception {
        FakeSyscalls sys = new FakeSyscalls(proc);
        JruncException e = assertThrows(JruncException.class,
                () -> HookRunner.run(sys, env(proc), List.of(hook("/bin/sleep", null, null, 1)), STATE));
        assertEquals("error running hook #0: hook ran past specified timeout of 1.0s", e.getMessage());
        int pid = sys.spawned.get(0).pid();
        assertEquals(List.of(pid + ":9"), sys.signals);
        assertTrue(sys.children().isEmpty(), "the killed hook is reaped");
    }
}
