package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which cgroup.procs files the no-op migration may write: this process's own cgroups only. */
class MigrationWarmupTest {
    @Test
    void cgroupV2HostOffersItsOwnCgroupUnderBothUnifiedMountPoints() {
        assertEquals(List.of(Path.of("/sys/fs/cgroup/user.slice/s.scope/cgroup.procs"),
                        Path.of("/sys/fs/cgroup/unified/user.slice/s.scope/cgroup.procs")),
                MigrationWarmup.candidates("0::/user.slice/s.scope\n"));
    }

    @Test
    void hybridHostOffersUnifiedFirstThenEachV1Hierarchy() {
        String self = "9:name=systemd:/a\n8:pids:/a\n4:cpu,cpuacct:/\n0::/a\n";
        assertEquals(List.of(Path.of("/sys/fs/cgroup/a/cgroup.procs"),
                        Path.of("/sys/fs/cgroup/unified/a/cgroup.procs"),
                        Path.of("/sys/fs/cgroup/systemd/a/cgroup.procs"),
                        Path.of("/sys/fs/cgroup/pids/a/cgroup.procs"),
                        Path.of("/sys/fs/cgroup/cpu,cpuacct/cgroup.procs")),
                MigrationWarmup.candidates(self));
    }

    @Test
    void malformedLinesAreSkipped() {
        assertEquals(List.of(), MigrationWarmup.candidates("garbage\n5:pids:relative\n6:../x:/a\n\n"));
    }
}
