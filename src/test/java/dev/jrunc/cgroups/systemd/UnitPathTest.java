package dev.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.CgroupMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnitPathTest {
    @Test
    void slicePrefixName() throws JruncException {
        UnitPath p = UnitPath.parse("machine.slice:libpod:abc", "id", false);
        assertEquals("libpod-abc.scope", p.unit());
        assertEquals("/machine.slice/libpod-abc.scope", p.cgroup());
    }

    @Test
    void defaults() throws JruncException {
        assertEquals(new UnitPath("system.slice", "jrunc", "c1"), UnitPath.parse("", "c1", false));
        assertEquals(new UnitPath("user.slice", "jrunc", "c1"), UnitPath.parse(null, "c1", true));
        assertEquals("/system.slice/x-n.scope", UnitPath.parse(":x:n", "id", false).cgroup());
        assertEquals("/user.slice/x-n.scope", UnitPath.parse(":x:n", "id", true).cgroup());
        // no prefix: the name alone
        assertEquals("n.scope", UnitPath.parse("system.slice::n", "id", false).unit());
    }

    @Test
    void aSliceNameIsTheUnit() throws JruncException {
        UnitPath p = UnitPath.parse("system.slice:ignored:pod-x.slice", "id", false);
        assertEquals("pod-x.slice", p.unit());
        assertTrue(p.isSlice());
        assertEquals("/system.slice/pod-x.slice", p.cgroup());
    }

    @Test
    void nestedSlices() throws JruncException {
        assertEquals("/a.slice/a-b.slice/a-b-c.slice", UnitPath.expand("a-b-c.slice"));
        assertEquals("/", UnitPath.expand("-.slice"));
        assertEquals("/system.slice", UnitPath.expand("system.slice"));
        assertEquals("/p-q.scope", UnitPath.parse("-.slice:p:q", "id", false).cgroup());
        assertEquals("/user.slice/user-1000.slice/p-q.scope", UnitPath.parse("user-1000.slice:p:q", "id", false).cgroup());
    }

    @Test
    void runcsSliceErrors() {
        for (String bad : List.of("slice", ".slice", "a/b.slice", "a--b.slice", "-a.slice", "a-.slice", "a.scope")) {
            JruncException e = assertThrows(JruncException.class, () -> UnitPath.expand(bad), bad);
            assertEquals("invalid slice name: " + bad, e.getMessage());
        }
    }

    @Test
    void runcsFormError() {
        for (String bad : List.of("/mygroup", "a:b", "a:b:c:d", "system.slice")) {
            JruncException e = assertThrows(JruncException.class, () -> UnitPath.parse(bad, "id", false), bad);
            assertEquals("expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"" + bad
                    + "\" instead", e.getMessage());
        }
    }

    @Test
    void theUnitsDirectoryInEveryHierarchy() {
        CgroupMount v2 = new CgroupMount(Path.of("/sys/fs/cgroup"), "/", 2, Set.of());
        assertEquals(Map.of("unified", Path.of("/sys/fs/cgroup/system.slice/jrunc-c.scope")),
                SystemdManager.dirs(List.of(v2), "", "/system.slice/jrunc-c.scope"));
        // rootless: under the user manager's cgroup
        assertEquals(Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/user.slice/jrunc-c.scope"),
                SystemdManager.dirs(List.of(v2), "/user.slice/user-1000.slice/user@1000.service", "/user.slice/jrunc-c.scope")
                        .get("unified"));
        CgroupMount mem = new CgroupMount(Path.of("/sys/fs/cgroup/memory"), "/", 1, Set.of("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/system.slice/jrunc-c.scope"),
                SystemdManager.dirs(List.of(mem), "", "/system.slice/jrunc-c.scope").get("memory"));
    }

    @Test
    void aRecordedManagerKnowsItsUnitByItsDirectory() {
        SystemdManager m = SystemdManager.forRecord(null, true, false,
                Map.of("unified", Path.of("/sys/fs/cgroup/machine.slice/libpod-abc.scope")), Files::delete);
        assertEquals("libpod-abc.scope", m.unit());
        assertEquals(dev.jrunc.cgroups.CgroupDriver.SYSTEMD_V2, m.driver());
    }
}
