package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrunc.cgroups.CgroupMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemnantsTest {
    @TempDir
    Path tmp;

    private static final List<CgroupMount> MOUNTS = List.of(
            new CgroupMount(Path.of("/sys/fs/cgroup/memory"), "/", 1, Set.of("memory")),
            new CgroupMount(Path.of("/sys/fs/cgroup/pids"), "/", 1, Set.of("pids")));

    @Test
    void aCorruptStateGivesOnlyTheCgroupsBelowAMountedHierarchy() throws Exception {
        Path file = tmp.resolve("state.json");
        Files.writeString(file, "{\"pid\": \"x\", \"cgroupPaths\": {"
                + "\"memory\": \"/sys/fs/cgroup/memory/jrunc/c\", "
                + "\"pids\": \"/sys/fs/cgroup/pids\", " // a hierarchy's root: never
                + "\"a\": \"/etc\", \"b\": \"/sys/fs/cgroup/memory/../../../etc\", \"c\": 5, \"d\": \"relative\"}}");
        assertEquals(Map.of("memory", Path.of("/sys/fs/cgroup/memory/jrunc/c")), Remnants.fromState(file, MOUNTS));
    }

    @Test
    void aStateThatIsNotJsonGivesNone() throws Exception {
        Path file = tmp.resolve("state.json");
        for (String text : new String[] {"", "nope", "[1]", "{\"cgroupPaths\": [\"/sys/fs/cgroup/memory/x\"]}", "null"}) {
            Files.writeString(file, text);
            assertEquals(Map.of(), Remnants.fromState(file, MOUNTS), text);
        }
        assertEquals(Map.of(), Remnants.fromState(tmp.resolve("absent.json"), MOUNTS));
    }

    @Test
    void theDriverOfAStateThatParsesAsJson() throws Exception {
        Path file = tmp.resolve("state.json.creating");
        Files.writeString(file, "{\"pid\": \"x\", \"cgroupDriver\": \"systemd-v2\"}");
        assertEquals("systemd-v2", Remnants.driverOf(file));
        for (String text : new String[] {"", "nope", "{\"cgroupDriver\": 2}", "{}"}) {
            Files.writeString(file, text);
            assertEquals(null, Remnants.driverOf(file), text);
        }
        assertEquals(null, Remnants.driverOf(tmp.resolve("absent")));
    }
}
