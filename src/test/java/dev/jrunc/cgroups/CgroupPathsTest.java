package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupPathsTest {
    /** This machine's hybrid layout: v1 controllers, name=systemd, and a cgroup2 at unified. */
    static final String HYBRID = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:52 / /sys/fs/cgroup/net_cls,net_prio rw,relatime - cgroup cgroup rw,net_cls,net_prio
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            50 23 0:40 / /tmp/with\\040space rw - tmpfs tmpfs rw
            """;

    @Test
    void parsesEveryHierarchy() {
        List<CgroupMount> mounts = CgroupMount.parse(HYBRID);
        assertEquals(List.of("cpu", "cpuset", "memory", "net_cls,net_prio", "name=systemd", "unified"),
                mounts.stream().map(CgroupMount::key).toList());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), mounts.get(5).mountPoint());
        assertEquals(2, mounts.get(5).version());
        assertEquals(Set.of("net_cls", "net_prio"), mounts.get(3).controllers());
    }

    @Test
    void unescapesOctal() {
        assertEquals("/tmp/with space", CgroupMount.unescape("/tmp/with\\040space"));
    }

    @Test
    void defaultAbsoluteAndRelativePaths() throws JruncException {
        List<CgroupMount> mounts = CgroupMount.parse(HYBRID);
        Map<String, String> own = CgroupPaths.parseProcCgroup("4:memory:/process_api/abc\n3:cpuset:/\n0::/user\n");
        Map<String, Path> def = CgroupPaths.resolve(null, "c1", mounts, own);
        assertEquals(Path.of("/sys/fs/cgroup/memory/jrunc/c1"), def.get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/unified/jrunc/c1"), def.get("unified"));
        Map<String, Path> abs = CgroupPaths.resolve("/my/ctr", "c1", mounts, own);
        assertEquals(Path.of("/sys/fs/cgroup/systemd/my/ctr"), abs.get("name=systemd"));
        Map<String, Path> rel = CgroupPaths.resolve("ctr", "c1", mounts, own);
        assertEquals(Path.of("/sys/fs/cgroup/memory/process_api/abc/ctr"), rel.get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/unified/user/ctr"), rel.get("unified"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu/ctr"), rel.get("cpu"));
    }

    @Test
    void refusesEscapes() {
        List<CgroupMount> mounts = CgroupMount.parse(HYBRID);
        for (String bad : new String[] {"/", "/../etc", "../x", "/a/../../b"}) {
            assertThrows(JruncException.class, () -> CgroupPaths.resolve(bad, "c1", mounts, Map.of()), bad);
        }
    }

    @Test
    void refusesTheRuntimesOwnCgroupAndItsAncestors() throws JruncException {
        List<CgroupMount> mounts = CgroupMount.parse(HYBRID);
        Map<String, String> own = CgroupPaths.parseProcCgroup(
                "6:name=systemd:/a/b\n5:net_cls,net_prio:/a/b\n4:memory:/a/b\n3:cpuset:/a/b\n2:cpu:/a/b\n0::/a/b\n");
        for (String bad : new String[] {".", "./", "/a/b", "/a", "/a/b/"}) {
            JruncException e = assertThrows(JruncException.class, () -> CgroupPaths.resolve(bad, "c1", mounts, own), bad);
            assertEquals("invalid cgroupsPath " + bad + ": /sys/fs/cgroup/cpu" + (bad.equals("/a") ? "/a" : "/a/b")
                    + " holds the cgroup this runtime runs in (/sys/fs/cgroup/cpu/a/b); the container's delete would kill the runtime and its caller",
                    e.getMessage());
        }
        // below it, beside it, elsewhere: as before
        assertEquals(Path.of("/sys/fs/cgroup/memory/a/b/c"), CgroupPaths.resolve("c", "c1", mounts, own).get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/a/b/c"), CgroupPaths.resolve("/a/b/c", "c1", mounts, own).get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/a/bc"), CgroupPaths.resolve("/a/bc", "c1", mounts, own).get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/jrunc/c1"), CgroupPaths.resolve(null, "c1", mounts, own).get("memory"));
        // one hierarchy is enough: the runtime in /x of the memory hierarchy only
        Map<String, String> one = CgroupPaths.parseProcCgroup("4:memory:/x\n0::/\n");
        assertThrows(JruncException.class, () -> CgroupPaths.resolve("/x", "c1", mounts, one));
        // a hierarchy mounted from a sub-root: the runtime's cgroup outside it is not compared
        List<CgroupMount> sub = CgroupMount.parse("35 31 0:32 /outer /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        assertEquals("invalid cgroupsPath /outer: must name a cgroup below the root",
                assertThrows(JruncException.class, () -> CgroupPaths.resolve("/outer", "c1", sub, Map.of())).getMessage());
        assertThrows(JruncException.class, () -> CgroupPaths.resolve("/outer/in", "c1", sub, Map.of("memory", "/outer/in/deeper")));
        assertEquals(Path.of("/sys/fs/cgroup/memory/c"), CgroupPaths.resolve("/outer/c", "c1", sub, Map.of("memory", "/elsewhere")).get("memory"));
    }

    @Test
    void mountRootOtherThanSlash() throws JruncException {
        List<CgroupMount> mounts = CgroupMount.parse("35 31 0:32 /outer /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        assertEquals(Path.of("/sys/fs/cgroup/memory/jrunc/c1"),
                CgroupPaths.resolve("/outer/jrunc/c1", "c1", mounts, Map.of()).get("memory"));
        assertThrows(JruncException.class, () -> CgroupPaths.resolve("/elsewhere/c1", "c1", mounts, Map.of()));
    }

    @Test
    void ownDirsAreThisProcessCgroupsInEachMountedHierarchy() {
        List<CgroupMount> mounts = CgroupMount.parse(HYBRID);
        Map<String, String> own = CgroupPaths.parseProcCgroup("4:memory:/process_api/abc\n0::/user\n");
        List<Path> dirs = CgroupPaths.ownDirs(mounts, own);
        // a hierarchy /proc/self/cgroup does not name has no own directory
        assertEquals(true, dirs.contains(Path.of("/sys/fs/cgroup/memory/process_api/abc")), dirs.toString());
        assertEquals(true, dirs.contains(Path.of("/sys/fs/cgroup/unified/user")), dirs.toString());
        assertEquals(2, dirs.size(), dirs.toString());
    }
}
