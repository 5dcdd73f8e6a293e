package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc's checks of an existing cgroup, on a temp-dir fake tree: frozen (v1, v2), processes counted. */
class CgroupHierarchiesCheckTest {
    @TempDir
    Path mount;

    @Test
    void aV1CgroupIsFrozenWhenItsStateOrItsNearestExistingAncestorsIs() throws Exception {
        Path pod = Files.createDirectories(mount.resolve("pod"));
        Files.writeString(pod.resolve("freezer.state"), "FROZEN\n");
        assertTrue(CgroupHierarchies.frozen(mount, pod, true));
        assertTrue(CgroupHierarchies.frozen(mount, pod.resolve("ctr/sub"), true), "a new child of a frozen cgroup starts frozen");
        Files.writeString(pod.resolve("freezer.state"), "FREEZING\n");
        assertTrue(CgroupHierarchies.frozen(mount, pod.resolve("ctr"), true));
        Files.writeString(pod.resolve("freezer.state"), "THAWED\n");
        assertFalse(CgroupHierarchies.frozen(mount, pod.resolve("ctr"), true));
        assertFalse(CgroupHierarchies.frozen(mount, mount.resolve("new/ctr"), true), "the root cgroup is never frozen");
    }

    @Test
    void aV2CgroupIsFrozenWhenItsEventsSaySo() throws Exception {
        Path ctr = Files.createDirectories(mount.resolve("ctr"));
        Files.writeString(ctr.resolve("cgroup.events"), "populated 0\nfrozen 1\n");
        assertTrue(CgroupHierarchies.frozen(mount, ctr, false));
        Files.writeString(ctr.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
        assertFalse(CgroupHierarchies.frozen(mount, ctr, false));
    }

    @Test
    void processesAreCountedInTheCgroupAndItsDescendants() throws Exception {
        Path ctr = Files.createDirectories(mount.resolve("ctr/child"));
        Files.writeString(mount.resolve("ctr/cgroup.procs"), "12\n13\n");
        Files.writeString(ctr.resolve("cgroup.procs"), "14\n");
        assertEquals(3, CgroupHierarchies.countProcesses(mount.resolve("ctr")));
        assertEquals(0, CgroupHierarchies.countProcesses(mount.resolve("gone")));
    }
}
