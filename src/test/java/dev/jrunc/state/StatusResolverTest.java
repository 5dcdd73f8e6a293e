package dev.jrunc.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.ContainerStatus;
import dev.jrunc.state.model.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusResolverTest {
    @TempDir
    Path dir;

    private static ContainerRecord record(Status phase, int pid, long start) {
        return new ContainerRecord("1.3.0", "c", pid, start, phase, "/b", "/b/rootfs", "t", Map.of(), Map.of(), false, null, Map.of());
    }

    private static StatusResolver seeing(ProcStat stat) {
        return new StatusResolver(pid -> pid == stat.pid() ? Optional.of(stat) : Optional.empty());
    }

    @Test
    void createdWhileFifoExists() throws Exception {
        Files.createFile(dir.resolve(StateStore.EXEC_FIFO));
        StatusResolver r = seeing(new ProcStat(10, 'S', 500));
        assertEquals(Status.CREATED, r.status(record(Status.CREATED, 10, 500), dir));
    }

    @Test
    void runningWithoutFifo() {
        StatusResolver r = seeing(new ProcStat(10, 'R', 500));
        ContainerStatus s = r.report(record(Status.CREATED, 10, 500), dir, "");
        assertEquals(Status.RUNNING, s.status());
        assertEquals(10, s.pid());
    }

    @Test
    void stoppedWhenGoneZombieOrPidReused() {
        assertEquals(Status.STOPPED, seeing(new ProcStat(11, 'S', 500)).status(record(Status.CREATED, 10, 500), dir));
        assertEquals(Status.STOPPED, seeing(new ProcStat(10, 'Z', 500)).status(record(Status.CREATED, 10, 500), dir));
        ContainerStatus reused = seeing(new ProcStat(10, 'S', 999)).report(record(Status.CREATED, 10, 500), dir, "");
        assertEquals(Status.STOPPED, reused.status());
        assertEquals(0, reused.pid());
    }

    @Test
    void pausedWhileTheCgroupIsFrozenBeforeCreatedOrRunning() throws Exception {
        ProcStat alive = new ProcStat(10, 'D', 500);
        StatusResolver frozen = new StatusResolver(pid -> pid == 10 ? Optional.of(alive) : Optional.empty(), r -> true);
        assertEquals(Status.PAUSED, frozen.status(record(Status.CREATED, 10, 500), dir));
        Files.createFile(dir.resolve(StateStore.EXEC_FIFO));
        assertEquals(Status.PAUSED, frozen.status(record(Status.CREATED, 10, 500), dir));
        // a dead init is stopped, frozen cgroup or not
        assertEquals(Status.STOPPED, frozen.status(record(Status.CREATED, 11, 500), dir));
    }

    @Test
    void theDefaultResolverReadsTheV1FreezerState() throws Exception {
        Path freezer = Files.createDirectories(dir.resolve("freezer"));
        Files.writeString(freezer.resolve("freezer.state"), "FROZEN\n");
        int self = (int) ProcessHandle.current().pid();
        long start = ProcStat.read(self).orElseThrow().startTime();
        ContainerRecord r = new ContainerRecord("1.3.0", "c", self, start, Status.CREATED, "/b", "/b/rootfs", "t", Map.of(),
                Map.of("freezer", freezer.toString()), false, null, Map.of());
        assertEquals(Status.PAUSED, new StatusResolver().status(r, dir));
        Files.writeString(freezer.resolve("freezer.state"), "THAWED\n");
        assertEquals(Status.RUNNING, new StatusResolver().status(r, dir));
    }

    @Test
    void creatingPhaseIsReported() {
        assertEquals(Status.CREATING, seeing(new ProcStat(10, 'S', 500)).status(record(Status.CREATING, 10, 500), dir));
    }

    @Test
    void realProcStatOfThisProcess() {
        int self = (int) ProcessHandle.current().pid();
        ProcStat stat = ProcStat.read(self).orElseThrow();
        assertEquals(self, stat.pid());
        assertEquals(false, stat.exited());
        assertEquals(Optional.empty(), ProcStat.read(-1));
        assertEquals(Optional.empty(), ProcStat.read(Integer.MAX_VALUE));
    }

    @Test
    void parsesCommandNamesWithSpacesAndParens() {
        String line = "1234 (a b) c)) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 98765 1000 10";
        ProcStat stat = ProcStat.parse(1234, line);
        assertEquals('S', stat.state());
        assertEquals(98765L, stat.startTime());
    }
}
