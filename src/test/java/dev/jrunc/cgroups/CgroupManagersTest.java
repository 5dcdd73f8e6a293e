package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.cgroups.fs.FsV1Manager;
import dev.jrunc.cgroups.fs.FsV2Manager;
import dev.jrunc.state.StateCodec;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import dev.jrunc.sys.FakeSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver chosen at create, recorded in state.json and given back to the later commands. */
class CgroupManagersTest {
    @TempDir
    Path tmp;

    private CgroupHierarchies v1Host() throws Exception {
        Path cpu = Files.createDirectories(tmp.resolve("cpu,cpuacct"));
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        Path unified = Files.createDirectories(tmp.resolve("unified"));
        return new CgroupHierarchies(List.of(new CgroupMount(cpu, "/", 1, Set.of("cpu", "cpuacct")),
                new CgroupMount(pids, "/", 1, Set.of("pids")), new CgroupMount(unified, "/", 2, Set.of())), Map.of());
    }

    private CgroupHierarchies v2Host() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("v2"));
        return new CgroupHierarchies(List.of(new CgroupMount(root, "/", 2, Set.of())), Map.of());
    }

    @Test
    void aHostWithV1ControllersGetsTheV1DriverAndAV2OnlyHostTheV2One() throws Exception {
        CgroupManager v1 = CgroupManagers.forCreate(new FakeSyscalls(), v1Host(), null, "c1", false);
        assertTrue(v1 instanceof FsV1Manager);
        assertEquals(CgroupDriver.FS_V1, v1.driver());
        assertEquals(tmp.resolve("pids/jrunc/c1"), v1.dirs().get("pids"));
        CgroupManager v2 = CgroupManagers.forCreate(new FakeSyscalls(), v2Host(), "/pod/ctr", "c1", false);
        assertTrue(v2 instanceof FsV2Manager);
        assertEquals(CgroupDriver.FS_V2, v2.driver());
        assertEquals(tmp.resolve("v2/pod/ctr"), v2.dirs().get("unified"));
    }

    @Test
    void destroyRemovesOnlyWhatEnterMade() throws Exception {
        CgroupHierarchies host = v1Host();
        // the caller's cgroup, there before create: a create that fails before enter must keep it
        Path existing = Files.createDirectories(tmp.resolve("pids/pod/ctr"));
        CgroupManager before = CgroupManagers.forCreate(new FakeSyscalls(), host, "/pod/ctr", "c1", false);
        before.destroy();
        assertTrue(Files.isDirectory(existing));

        CgroupManager m = CgroupManagers.forCreate(new FakeSyscalls(), host, null, "c2", false);
        m.enter(4242, null, List.of());
        for (Path dir : m.dirs().values()) {
            assertEquals("4242", Files.readString(dir.resolve("cgroup.procs")).trim(), dir.toString());
        }
        assertEquals(Set.of(4242), m.pids());
        // a fake cgroupfs: rmdir of a directory with files in it is emptied first
        CgroupManager fake = new FsV1Manager(host, dir -> {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }, m.dirs(), false, true, true);
        fake.destroy();
        for (Path dir : m.dirs().values()) {
            assertFalse(Files.exists(dir), dir.toString());
        }
    }

    @Test
    void theRecordedDriverComesBackFromStateJson() throws Exception {
        CgroupManager created = CgroupManagers.forCreate(new FakeSyscalls(), v2Host(), null, "c1", false);
        ContainerRecord record = new ContainerRecord("1.3.0", "c1", 1, 1, Status.CREATED, "/b", "/b/rootfs", "t", Map.of(),
                CgroupManager.stringPaths(created.dirs()), false, created.driver().text(), Map.of());
        ContainerRecord read = StateCodec.read(StateCodec.write(record));
        assertEquals("cgroupfs-v2", read.cgroupDriver());
        CgroupManager later = CgroupManagers.forRecord(new FakeSyscalls(), read, Files::delete);
        assertEquals(CgroupDriver.FS_V2, later.driver());
        assertEquals(created.dirs(), later.dirs());
    }

    @Test
    void aRecordWithoutADriverWasMadeByTheCgroupfsDriverOfItsHierarchies() {
        assertEquals(CgroupDriver.FS_V1, CgroupDriver.of(null, Map.of("cpu,cpuacct", "/x", "unified", "/y")));
        assertEquals(CgroupDriver.FS_V2, CgroupDriver.of(null, Map.of("unified", "/y")));
        assertEquals(CgroupDriver.SYSTEMD_V2, CgroupDriver.of("systemd-v2", Map.of("unified", "/y")));
        assertEquals(CgroupDriver.FS_V2, CgroupDriver.of("no-such-driver", Map.of("unified", "/y")));
    }

    @Test
    void pidsAreListedFromTheDevicesHierarchyOnV1AndTheUnifiedOneOnV2() {
        assertEquals(Path.of("/d"), CgroupManager.pidsDir(Map.of("cpu,cpuacct", "/c", "devices", "/d", "unified", "/u")));
        assertEquals(Path.of("/u"), CgroupManager.pidsDir(Map.of("unified", "/u")));
    }

    @Test
    void rootlessOnV2WithoutCgroupsPathNorLimitsMakesAndJoinsNothing() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("v2"));
        // the caller runs in the root cgroup (as in the v2 lab's plain boot)
        CgroupHierarchies host = new CgroupHierarchies(List.of(new CgroupMount(root, "/", 2, Set.of())), Map.of("unified", "/"));
        CgroupManager m = CgroupManagers.forCreate(new FakeSyscalls(), host, null, "c1", true);
        m.check(null, dev.jrunc.log.Logger.toStderr());
        Path planned = m.dirs().get("unified");
        assertEquals(tmp.resolve("v2"), m.visibleDirs().get("unified"), "bound from the caller's cgroup, which the init stays in");
        m.enter(4242, null, List.of());
        assertFalse(Files.exists(planned));
        assertTrue(m.dirs().isEmpty());
        m.destroy();
        assertTrue(Files.isDirectory(tmp.resolve("v2")));
    }
}
