package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrunc.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The no-op migration on the host's real cgroups: a write is made, and nothing moves. */
@KernelTest
class MigrationWarmupKernelTest {
    private Process child;

    @AfterEach
    void cleanUp() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void writesTheProcessIntoTheCgroupItIsAlreadyIn() throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "needs root");
        assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup")), "needs /sys/fs/cgroup");
        child = new ProcessBuilder("sleep", "30").start();
        Path childCgroup = Path.of("/proc/" + child.pid() + "/cgroup");
        String before = Files.readString(childCgroup);
        String self = Files.readString(Path.of("/proc/self/cgroup"));
        assertEquals(self, before, "a child starts in its parent's cgroups");

        Path written = MigrationWarmup.migrateInPlace((int) child.pid());

        assertNotNull(written, "root can write its own cgroup.procs on this host");
        assertTrue(MigrationWarmup.candidates(self).contains(written), written + " is one of this process's own cgroups");
        assertTrue(Files.readString(written).lines().anyMatch(l -> l.equals(Long.toString(child.pid()))),
                "the child is listed in " + written);
        assertEquals(before, Files.readString(childCgroup), "the child stayed where it was");
        assertEquals(self, Files.readString(Path.of("/proc/self/cgroup")), "this process stayed where it was");
    }
}
