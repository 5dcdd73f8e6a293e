package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrunc.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The freezer on the host's real v1 freezer hierarchy: a frozen process stops running, a thawed one goes on. */
@KernelTest
class FreezerKernelTest {
    private final Path dir = Path.of("/sys/fs/cgroup/freezer/jrunc-freezer-test-" + ProcessHandle.current().pid());
    private Process child;

    @AfterEach
    void cleanUp() throws Exception {
        if (Files.isDirectory(dir)) {
            Files.writeString(dir.resolve("freezer.state"), "THAWED");
        }
        if (child != null) {
            child.destroyForcibly().waitFor();
        }
        for (int i = 0; i < 100 && Files.isDirectory(dir); i++) {
            try {
                Files.delete(dir);
            } catch (java.io.IOException e) {
                Thread.sleep(10);
            }
        }
    }

    private static long utime(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void aFrozenBusyLoopGetsNoCpuTime() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/freezer")), "needs the v1 freezer hierarchy");
        Files.createDirectory(dir);
        child = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        Files.writeString(dir.resolve("cgroup.procs"), Long.toString(child.pid()));
        Freezer f = Freezer.of(Map.of("freezer", dir.toString()));
        f.freeze();
        assertEquals("FROZEN", Files.readString(dir.resolve("freezer.state")).trim());
        assertTrue(f.frozen());
        assertEquals('D', state(child.pid()));
        long before = utime(child.pid());
        Thread.sleep(300);
        assertEquals(before, utime(child.pid()));
        f.thaw();
        assertFalse(f.frozen());
        long deadline = System.currentTimeMillis() + 5000;
        while (utime(child.pid()) == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(utime(child.pid()) > before);
    }
}
