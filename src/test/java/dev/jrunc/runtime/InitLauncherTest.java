package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.FakeSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How jrunc-init is started: its fds, its plan, the sealed copy it runs from. */
class InitLauncherTest {
    private static final byte[] PLAN = "the plan".getBytes(StandardCharsets.US_ASCII);

    private static Path init(Path dir) throws Exception {
        return Files.writeString(dir.resolve("jrunc-init"), "\177ELF the init");
    }

    @Test
    void theInitGetsStdioPlanSyncExtrasThenItsSealedCopy(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        FakeSyscalls sys = new FakeSyscalls(proc);
        RuntimeEnvironment env = new RuntimeEnvironment(null, Map.of(), proc, Files::delete);
        List<byte[]> seen = new ArrayList<>();
        sys.onSpawn = child -> {
            seen.add(sys.memfdContents(child.sources().get(3)));
            seen.add(sys.memfdContents(child.sources().get(6)));
        };
        int fifo = sys.open("exec.fifo");
        InitLauncher.Launched launched = InitLauncher.launch(sys, env, init(dir), PLAN, 0, List.of(fifo));
        FakeSyscalls.Spawned child = sys.spawned.get(0);
        assertEquals(launched.pid(), child.pid());
        assertEquals("/proc/self/fd/6", child.path());
        assertEquals(List.of("_JRUNC_PLAN_FD=3", "_JRUNC_SYNC_FD=4", "_JRUNC_EXE_FD=6"), child.envp());
        assertEquals(List.of(0, 1, 2), child.sources().subList(0, 3), "stdio, as it is");
        assertEquals(List.of(3, 4, 5, 7), List.of(InitLauncher.planTarget(0), InitLauncher.planTarget(0) + 1,
                InitLauncher.extraTarget(0), InitLauncher.extraTarget(2)), "with --preserve-fds 2 all move up by 2");
        assertEquals("/memfd:jrunc-plan (deleted)", child.fds().get(3));
        assertTrue(child.fds().get(4).startsWith("socket:["), child.fds().toString());
        assertEquals("exec.fifo", child.fds().get(5));
        assertEquals("/memfd:jrunc-init (deleted)", child.fds().get(6));
        assertArrayEquals(PLAN, seen.get(0));
        assertArrayEquals("\177ELF the init".getBytes(StandardCharsets.ISO_8859_1), seen.get(1));
        // jrunc keeps its end of the sync socket (and the caller's fifo), nothing else
        assertEquals(Set.of(launched.syncFd(), fifo), sys.openFds());
    }

    @Test
    void aFailureAtAnyStepClosesEverythingItOpened(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Path init = init(dir);
        for (String call : List.of("memfdCreate", "seqpacketPair", "sealMemfd", "spawn")) {
            for (int nth = 1; nth <= (call.equals("memfdCreate") ? 2 : 1); nth++) {
                FakeSyscalls sys = new FakeSyscalls(proc);
                RuntimeEnvironment env = new RuntimeEnvironment(null, Map.of(), proc, Files::delete);
                sys.failNth(call, nth, Errno.ENOMEM);
                Exception e = assertThrows(Exception.class, () -> InitLauncher.launch(sys, env, init, PLAN, 0, List.of()));
                assertTrue(e instanceof ErrnoException || e instanceof JruncException, call + ": " + e);
                assertTrue(sys.openFds().isEmpty(), call + " #" + nth + " failed, fds left: " + sys.openFds());
                assertTrue(sys.spawned.isEmpty() || call.equals("spawn"), call);
            }
        }
    }
}
