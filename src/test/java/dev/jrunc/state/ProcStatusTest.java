package dev.jrunc.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatusTest {
    @TempDir
    Path proc;

    @Test
    void effectiveGidIsTheSecondFieldOfTheGidLine() {
        String status = "Name:\tjrunc\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t65534\t100\t100\nGroups:\t\n";
        assertEquals(65534, ProcStatus.effectiveGid(status));
        assertEquals(7, ProcStatus.effectiveGid("Gid:\t5\t7\t5\t5"));
        assertEquals(7, ProcStatus.effectiveGid("Gid:  5   7 5 5\n"), "any whitespace between the fields");
        assertEquals(0, ProcStatus.effectiveGid("Name:\tx\nUid:\t1\t1\t1\t1\n"));
        assertEquals(0, ProcStatus.effectiveGid("XGid:\t5\t7"));
        assertEquals(0, ProcStatus.effectiveGid("Gid:\t5"));
        assertThrows(NumberFormatException.class, () -> ProcStatus.effectiveGid("Gid:\t5\tx"));
    }

    @Test
    void aStatusThatCannotBeReadOrParsedGivesZero() throws Exception {
        assertEquals(0, ProcStatus.effectiveGid(proc), "no self/status");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/status"), "Gid:\t1\tbad\n");
        assertEquals(0, ProcStatus.effectiveGid(proc));
        Files.writeString(proc.resolve("self/status"), "Gid:\t1\t42\t1\t1\n");
        assertEquals(42, ProcStatus.effectiveGid(proc));
    }

    @Test
    void thisProcessesEffectiveGid() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Gid:")).findFirst().orElseThrow();
        assertEquals(Long.parseLong(line.split("\\s+")[2]), ProcStatus.effectiveGid(Path.of("/proc")));
    }
}
