package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The freezer on temp-dir fakes of a v1 freezer cgroup and a v2 cgroup. */
class FreezerTest {
    @TempDir
    Path tmp;

    private Path v1() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("freezer/jrunc/c"));
        Files.writeString(dir.resolve("freezer.state"), "THAWED\n");
        return dir;
    }

    private Path v2(String events) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("unified/jrunc/c"));
        Files.writeString(dir.resolve("cgroup.freeze"), "0\n");
        Files.writeString(dir.resolve("cgroup.events"), events);
        return dir;
    }

    @Test
    void v1FreezerIsPreferredToTheUnifiedHierarchy() throws Exception {
        Path freezer = v1();
        Path unified = v2("populated 1\nfrozen 0\n");
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("unified", unified.toString());
        paths.put("cpu,cpuacct", tmp.resolve("cpu").toString());
        paths.put("freezer", freezer.toString());
        Freezer f = Freezer.of(paths);
        assertNotNull(f);
        assertEquals(1, f.version());
        assertEquals(freezer, f.dir());
    }

    @Test
    void v2OnlyWhenCgroupFreezeExists() throws Exception {
        Path unified = v2("populated 1\nfrozen 0\n");
        Freezer f = Freezer.of(Map.of("unified", unified.toString(), "memory", tmp.resolve("memory").toString()));
        assertNotNull(f);
        assertEquals(2, f.version());
        Files.delete(unified.resolve("cgroup.freeze"));
        assertNull(Freezer.of(Map.of("unified", unified.toString())));
        assertNull(Freezer.of(Map.of("memory", tmp.resolve("memory").toString())));
    }

    @Test
    void v1FreezeAndThawWriteAndReadBackTheState() throws Exception {
        Path dir = v1();
        Freezer f = Freezer.of(Map.of("freezer", dir.toString()));
        assertFalse(f.frozen());
        f.freeze();
        assertEquals("FROZEN", Files.readString(dir.resolve("freezer.state")));
        assertTrue(f.frozen());
        f.thaw();
        assertEquals("THAWED", Files.readString(dir.resolve("freezer.state")));
        assertFalse(f.frozen());
    }

    @Test
    void v2FreezeWaitsForCgroupEvents() throws Exception {
        Path dir = v2("populated 1\nfrozen 0\n");
        Freezer f = Freezer.of(Map.of("unified", dir.toString()));
        // the "kernel" reports frozen a moment after the write
        Thread kernel = new Thread(() -> {
            try {
                while (!Files.readString(dir.resolve("cgroup.freeze")).trim().equals("1")) {
                    Thread.sleep(5);
                }
                Thread.sleep(50);
                Files.writeString(dir.resolve("cgroup.events"), "populated 1\nfrozen 1\n");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        kernel.start();
        f.freeze();
        assertTrue(Files.readString(dir.resolve("cgroup.events")).contains("frozen 1"));
        kernel.join();
        assertTrue(f.frozen());
        Files.writeString(dir.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
        f.thaw();
        assertEquals("0", Files.readString(dir.resolve("cgroup.freeze")));
        assertFalse(f.frozen());
    }

    @Test
    void aMissingCgroupIsNotFrozenAndCannotBeFrozen() throws Exception {
        Freezer f = Freezer.of(Map.of("freezer", tmp.resolve("gone").toString()));
        assertFalse(f.frozen());
        JruncException e = assertThrows(JruncException.class, f::freeze);
        assertTrue(e.getMessage().startsWith("cannot freeze cgroup " + tmp.resolve("gone")), e.getMessage());
    }
}
