package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubCgroupsTest {
    private static final Map<String, String> HYBRID = new LinkedHashMap<>();
    static {
        HYBRID.put("memory", "/sys/fs/cgroup/memory/jrunc/c");
        HYBRID.put("pids", "/sys/fs/cgroup/pids/jrunc/c");
        HYBRID.put("unified", "/sys/fs/cgroup/unified/jrunc/c");
    }
    private static final Map<String, String> V2 = Map.of("unified", "/sys/fs/cgroup/jrunc/c");

    private static String message(List<String> args, Map<String, String> paths) {
        return assertThrows(JruncException.class, () -> SubCgroups.resolve(SubCgroups.parse(args), paths)).getMessage();
    }

    @Test
    void noArgumentKeepsTheContainersCgroups() throws JruncException {
        Map<String, Path> dirs = SubCgroups.resolve(SubCgroups.parse(List.of()), HYBRID);
        assertEquals(Path.of("/sys/fs/cgroup/memory/jrunc/c"), dirs.get("memory"));
        assertEquals(3, dirs.size());
    }

    @Test
    void controllerPrefixMovesOnlyThoseHierarchies() throws JruncException {
        Map<String, Path> dirs = SubCgroups.resolve(SubCgroups.parse(List.of("memory,pids:/a/b")), HYBRID);
        assertEquals(Path.of("/sys/fs/cgroup/memory/jrunc/c/a/b"), dirs.get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/pids/jrunc/c/a/b"), dirs.get("pids"));
        assertEquals(Path.of("/sys/fs/cgroup/unified/jrunc/c"), dirs.get("unified"));
    }

    @Test
    void oneArgumentWithoutControllersMovesEveryHierarchy() throws JruncException {
        Map<String, Path> dirs = SubCgroups.resolve(SubCgroups.parse(List.of("x/../y")), HYBRID);
        dirs.values().forEach(d -> assertEquals("y", d.getFileName().toString()));
        assertEquals(Path.of("/sys/fs/cgroup/jrunc/c/s"), SubCgroups.resolve(SubCgroups.parse(List.of("s")), V2).get("unified"));
    }

    @Test
    void badArgumentsAreRunc_sErrors() {
        assertEquals("invalid --cgroup argument: a (missing <controller>: prefix)", message(List.of("a", "b"), HYBRID));
        assertEquals("invalid --cgroup argument: :x (empty <controller> prefix)", message(List.of(":x"), HYBRID));
        assertEquals("invalid --cgroup argument(s): controller memory specified multiple times",
                message(List.of("memory:a", "memory,pids:b"), HYBRID));
        assertEquals("unknown controller bogus in SubCgroupPaths", message(List.of("bogus:a"), HYBRID));
        assertEquals("unknown controller unified in SubCgroupPaths", message(List.of("unified:a"), HYBRID));
        assertEquals("../.. is not a sub cgroup path", message(List.of("memory:../.."), HYBRID));
        assertEquals("invalid --cgroup argument: memory:a (<controller>: prefix is not supported on cgroup v2)",
                message(List.of("memory:a"), V2));
    }
}
