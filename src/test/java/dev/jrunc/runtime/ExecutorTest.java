package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.state.StatusResolver;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.sys.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exec} into a container created on a {@link FakeHost}. */
class ExecutorTest {
    private static final String ID = "c1";

    /** A created container whose namespaces differ from jrunc's in the fake /proc. */
    private static ContainerRecord created(FakeHost host) throws Exception {
        ContainerRecord record = host.creator().create(ID, host.opts());
        long inode = 4026531000L;
        for (String ns : List.of("user", "ipc", "uts", "net", "pid", "cgroup", "time", "mnt")) {
            Path theirs = Files.createDirectories(host.proc.resolve(record.pid() + "/ns")).resolve(ns);
            Path ours = Files.createDirectories(host.proc.resolve("self/ns")).resolve(ns);
            Files.createSymbolicLink(theirs, Path.of(ns + ":[" + (inode + 100) + "]"));
            Files.createSymbolicLink(ours, Path.of(ns + ":[" + inode++ + "]"));
        }
        return record;
    }

    private static Executor executor(FakeHost host) {
        return new Executor(host.options, host.env, host.store, new StatusResolver(host.env::procStat, r -> false), host.sys);
    }

    private static ExecOptions detached(Path pidFile) {
        return new ExecOptions(null, List.of("sh", "-c", "true"), null, List.of(), null, List.of(), List.of(), null, null, null,
                null, true, pidFile, 0, false, null, List.of());
    }

    @Test
    void aDetachedExecJoinsTheNamespacesAndTheCgroup(@TempDir Path dir) throws Exception {
        FakeHost host = new FakeHost(dir, Map.of());
        ContainerRecord record = created(host);
        assertEquals(0, executor(host).exec(ID, detached(dir.resolve("exec.pid"))));
        int process = host.processes.get(3); // create's init and container, then exec's init and process
        assertEquals(Integer.toString(process), Files.readString(dir.resolve("exec.pid")));
        for (String h : List.of("pids", "devices")) {
            assertEquals(Integer.toString(process), Files.readString(Path.of(record.cgroupPaths().get(h), "cgroup.procs")));
        }
        var init = host.sys.spawned.get(1);
        assertEquals(List.of("_JRUNC_PLAN_FD=3", "_JRUNC_SYNC_FD=4", "_JRUNC_EXE_FD=5"), init.envp());
        assertFalse(host.sys.children().contains(init.pid()), "exec's init is reaped");
        assertTrue(host.sys.live.contains(process));
        assertTrue(host.sys.openFds().isEmpty(), "fds: " + host.sys.openFds());
    }

    @Test
    void anInitErrorKillsTheExecdProcessAndClosesEverything(@TempDir Path dir) throws Exception {
        FakeHost host = new FakeHost(dir, Map.of());
        ContainerRecord record = created(host);
        host.initSays.set(0, "error exec: \"sh\": permission denied");
        JruncException e = assertThrows(JruncException.class, () -> executor(host).exec(ID, detached(null)));
        assertEquals("exec: \"sh\": permission denied", e.getMessage());
        assertEquals(java.util.Set.of(host.sys.pid, record.pid()), host.sys.live, "only the container's init lives");
        assertTrue(host.sys.openFds().isEmpty(), "fds: " + host.sys.openFds());
    }

    @Test
    void aFailedSpawnIsExecFailed(@TempDir Path dir) throws Exception {
        FakeHost host = new FakeHost(dir, Map.of());
        created(host);
        List<String> memfds = host.procFds(); // those the container holds (the fake does not model exec's close-on-exec)
        host.sys.failNth("spawn", 1, Errno.ENOMEM);
        JruncException e = assertThrows(JruncException.class, () -> executor(host).exec(ID, detached(null)));
        assertEquals("exec failed: posix_spawn: cannot allocate memory", e.getMessage());
        assertTrue(host.sys.openFds().isEmpty(), "fds: " + host.sys.openFds());
        assertEquals(memfds, host.procFds(), "exec's plan and init memfds are closed");
    }

    @Test
    void noExecInAStoppedContainer(@TempDir Path dir) throws Exception {
        FakeHost host = new FakeHost(dir, Map.of());
        ContainerRecord record = created(host);
        host.sys.exitChild(record.pid(), 0);
        assertEquals("cannot exec in a stopped container",
                assertThrows(JruncException.class, () -> executor(host).exec(ID, detached(null))).getMessage());
        assertEquals("container does not exist",
                assertThrows(JruncException.class, () -> executor(host).exec("c2", detached(null))).getMessage());
    }
}
