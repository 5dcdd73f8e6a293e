package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against this host's real cgroup hierarchies (root needed; the test removes what it makes). */
@KernelTest
class CgroupHierarchiesKernelTest {
    private final String id = "jrunc-test-" + ProcessHandle.current().pid();
    private CgroupHierarchies manager;
    private Map<String, Path> dirs;
    private Process sleeper;

    @AfterEach
    void cleanUp() throws Exception {
        if (sleeper != null) {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
        if (dirs != null) {
            manager.destroy(dirs);
            for (Path dir : dirs.values()) {
                Files.deleteIfExists(dir.getParent()); // the test's own parent, shared with nobody
            }
        }
    }

    @Test
    void createJoinDestroyInEveryHierarchy() throws Exception {
        manager = CgroupHierarchies.host();
        assertFalse(manager.mounts().isEmpty(), "no cgroup hierarchy mounted");
        dirs = manager.paths("/" + id + "/ctr", id);
        assertEquals(manager.mounts().size(), dirs.size());
        manager.create(dirs);
        for (Path dir : dirs.values()) {
            assertTrue(Files.isDirectory(dir), dir.toString());
        }
        sleeper = new ProcessBuilder("sleep", "60").start();
        manager.join(dirs, (int) sleeper.pid());
        String procCgroup = Files.readString(Path.of("/proc/" + sleeper.pid() + "/cgroup"));
        for (String key : dirs.keySet()) {
            String expected = "/" + id + "/ctr";
            String controllers = key.equals("unified") ? "" : key;
            assertTrue(procCgroup.lines().anyMatch(l -> l.endsWith(":" + controllers + ":" + expected)
                            || (controllers.contains(",") && l.contains(expected))),
                    key + " not joined:\n" + procCgroup);
        }
        sleeper.destroyForcibly();
        sleeper.waitFor(10, TimeUnit.SECONDS);
        sleeper = null;
        manager.destroy(dirs);
        for (Path dir : dirs.values()) {
            assertFalse(Files.exists(dir), dir + " left behind");
        }
    }
}
