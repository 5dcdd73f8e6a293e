package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.JruncException;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.model.ContainerRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code start}, {@code kill}, {@code delete} of a container created on a {@link FakeHost}. */
class LifecycleTest {
    private static final String ID = "c1";
    private static final String POSTSTART = "/usr/local/bin/poststart";
    private static final String POSTSTOP = "/usr/local/bin/poststop";

    private static FakeHost withHooks(Path dir) {
        FakeHost host = new FakeHost(dir, Map.of());
        host.writeConfig(c -> {
            ObjectNode hooks = c.putObject("hooks");
            hooks.putArray("poststart").addObject().put("path", POSTSTART);
            hooks.putArray("poststop").addObject().put("path", POSTSTOP);
        });
        return host;
    }

    private static Path fifo(FakeHost host) throws JruncException {
        return host.store.dir(ID).resolve(StateStore.EXEC_FIFO);
    }

    private static List<String> hooksRun(FakeHost host) {
        return host.sys.spawned.stream().map(s -> s.path()).filter(p -> !p.startsWith("/proc/self/fd/")).toList();
    }

    @Test
    void startReleasesTheFifoRemovesItAndRunsPoststart(@TempDir Path dir) throws Exception {
        FakeHost host = withHooks(dir);
        ContainerRecord record = host.creator().create(ID, host.opts());
        host.sys.fifoWrite(fifo(host).toString(), "0".getBytes(StandardCharsets.US_ASCII));
        assertEquals(record, host.lifecycle().start(ID));
        assertFalse(Files.exists(fifo(host)), "the exec fifo is gone once started");
        assertEquals(List.of(POSTSTART), hooksRun(host));
        assertTrue(host.sys.live.contains(record.pid()));
        JruncException again = assertThrows(JruncException.class, () -> host.lifecycle().start(ID));
        assertEquals("cannot start an already running container", again.getMessage());
        assertTrue(host.sys.openFds().isEmpty(), "fds: " + host.sys.openFds());
    }

    @Test
    void anErrorFromTheFifoFailsTheStart(@TempDir Path dir) throws Exception {
        FakeHost host = new FakeHost(dir, Map.of());
        host.creator().create(ID, host.opts());
        host.sys.fifoWrite(fifo(host).toString(), "error exec: \"nope\": executable file not found in $PATH".getBytes(StandardCharsets.UTF_8));
        JruncException e = assertThrows(JruncException.class, () -> host.lifecycle().start(ID));
        assertEquals("exec: \"nope\": executable file not found in $PATH", e.getMessage());
    }

    @Test
    void aFailedPoststartHookKillsTheContainer(@TempDir Path dir) throws Exception {
        FakeHost host = withHooks(dir);
        ContainerRecord record = host.creator().create(ID, host.opts());
        host.hookExit.put(POSTSTART, 2);
        host.sys.fifoWrite(fifo(host).toString(), "0".getBytes(StandardCharsets.US_ASCII));
        JruncException e = assertThrows(JruncException.class, () -> host.lifecycle().start(ID));
        assertEquals("error running hook #0: error running hook: exit status 2, stdout: , stderr: ", e.getMessage());
        assertTrue(host.sys.signals.contains(record.pid() + ":9"), "SIGKILL to the container: " + host.sys.signals);
        assertFalse(host.sys.live.contains(record.pid()));
    }

    @Test
    void aStoppedContainerCannotStartNorBeSignalled(@TempDir Path dir) throws Exception {
        FakeHost host = new FakeHost(dir, Map.of());
        ContainerRecord record = host.creator().create(ID, host.opts());
        host.sys.exitChild(record.pid(), 0);
        assertEquals("cannot start a container that has stopped",
                assertThrows(JruncException.class, () -> host.lifecycle().start(ID)).getMessage());
        assertEquals("container not running",
                assertThrows(JruncException.class, () -> host.lifecycle().kill(ID, 15, false)).getMessage());
    }

    @Test
    void killSignalsTheInit(@TempDir Path dir) throws Exception {
        FakeHost host = new FakeHost(dir, Map.of());
        ContainerRecord record = host.creator().create(ID, host.opts());
        host.lifecycle().kill(ID, 15, false);
        assertEquals(List.of(record.pid() + ":15"), host.sys.signals);
    }

    @Test
    void deleteOfACreatedContainerKillsItAndRemovesEverything(@TempDir Path dir) throws Exception {
        FakeHost host = withHooks(dir);
        ContainerRecord record = host.creator().create(ID, host.opts());
        host.lifecycle().delete(ID, false);
        assertTrue(host.sys.signals.contains(record.pid() + ":9"), host.sys.signals.toString());
        assertEquals(java.util.Set.of(host.sys.pid), host.sys.live);
        assertFalse(Files.exists(host.store.dir(ID)));
        assertEquals(List.of(host.cgroups.resolve("devices/jrunc"), host.cgroups.resolve("pids/jrunc")), host.cgroupDirs(),
                "only the shared parents are left");
        assertEquals(List.of(POSTSTOP), hooksRun(host));
    }

    @Test
    void aRunningContainerIsDeletedOnlyWithForce(@TempDir Path dir) throws Exception {
        FakeHost host = new FakeHost(dir, Map.of());
        ContainerRecord record = host.creator().create(ID, host.opts());
        host.sys.fifoWrite(fifo(host).toString(), "0".getBytes(StandardCharsets.US_ASCII));
        host.lifecycle().start(ID);
        JruncException e = assertThrows(JruncException.class, () -> host.lifecycle().delete(ID, false));
        assertEquals("cannot delete container c1 that is not stopped: running", e.getMessage());
        assertTrue(Files.exists(host.store.dir(ID)));
        host.lifecycle().delete(ID, true);
        assertFalse(host.sys.live.contains(record.pid()));
        assertFalse(Files.exists(host.store.dir(ID)));
        host.lifecycle().delete(ID, true); // a missing container with force: no error
        assertEquals("container \"c1\" does not exist",
                assertThrows(JruncException.class, () -> host.lifecycle().delete(ID, false)).getMessage());
    }
}
