package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Resources;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RootlessCgroupsTest {

    private static Resources resources(String json) throws IOException {
        return Json.mapper().readValue(json, Resources.class);
    }

    @Test
    void requestedNamesTheControllersWithNonZeroSettingsButNeverDevices() throws IOException {
        assertEquals(Set.of(), RootlessCgroups.requested(null));
        assertEquals(Set.of(), RootlessCgroups.requested(resources(
                "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],\"memory\":{\"limit\":0},\"pids\":{\"limit\":0}}")));
        assertEquals(List.of("cpuset", "memory", "cpu", "pids", "blkio", "hugetlb", "net_cls", "net_prio", "rdma", "unified"),
                List.copyOf(RootlessCgroups.requested(resources("{\"cpu\":{\"cpus\":\"0\",\"shares\":512},\"memory\":{\"limit\":1048576},"
                        + "\"pids\":{\"limit\":10},\"blockIO\":{\"weight\":100},\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":0}],"
                        + "\"network\":{\"classID\":1,\"priorities\":[{\"name\":\"eth0\",\"priority\":1}]},"
                        + "\"rdma\":{\"mlx\":{\"hcaHandles\":1}},\"unified\":{\"memory.high\":\"1M\"}}"))));
    }

    @Test
    void aLimitWithoutItsHierarchyIsRuncsError() throws IOException, JruncException {
        Map<String, Path> kept = new LinkedHashMap<>();
        kept.put("cpu,cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct/x"));
        Resources pids = resources("{\"pids\":{\"limit\":10}}");
        JruncException e = assertThrows(JruncException.class, () -> RootlessCgroups.checkLimits(pids, kept, false));
        assertEquals("cannot set pids limit: container could not join or create cgroup", e.getMessage());
        RootlessCgroups.checkLimits(resources("{\"cpu\":{\"shares\":512}}"), kept, false);
        RootlessCgroups.checkLimits(resources("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}"), Map.of(), false);
        e = assertThrows(JruncException.class, () -> RootlessCgroups.checkLimits(pids, kept, true));
        assertTrue(e.getMessage().startsWith("rootless needs no limits + no cgrouppath when no permission is granted for cgroups"),
                e.getMessage());
        RootlessCgroups.checkLimits(pids, Map.of("unified", Path.of("/sys/fs/cgroup/x")), true);
    }

    @Test
    void theDevicesHierarchyGetsNoWrites() {
        Map<String, Path> dirs = new LinkedHashMap<>();
        dirs.put("devices", Path.of("/d"));
        dirs.put("memory", Path.of("/m"));
        dirs.put("unified", Path.of("/u"));
        assertEquals(List.of("memory", "unified"), List.copyOf(RootlessCgroups.withoutDevices(dirs).keySet()));
    }

    @Test
    void permissionErrorsAreEaccesEpermErofsInAnyShape() {
        assertTrue(RootlessCgroups.permissionError(new AccessDeniedException("/x")));
        assertTrue(RootlessCgroups.permissionError(new FileSystemException("/x", null, "Read-only file system")));
        assertTrue(RootlessCgroups.permissionError(new IOException("Permission denied")));
        assertTrue(RootlessCgroups.permissionError(new IOException("Operation not permitted")));
        assertFalse(RootlessCgroups.permissionError(new IOException("No space left on device")));
        assertFalse(RootlessCgroups.permissionError(new FileSystemException("/x", null, "Device or resource busy")));
    }

    @Test
    void onlyTheHybridCgroup2IsOptionalWithAnExplicitPath() {
        assertTrue(RootlessCgroups.optional("memory", false, true));
        assertFalse(RootlessCgroups.optional("memory", true, true));
        assertTrue(RootlessCgroups.optional("unified", true, true));
        assertFalse(RootlessCgroups.optional("unified", true, false));
    }

    /**
     * Rootless podman on a v1 host without a cgroup namespace: where the container's directory
     * cannot be made, the plan binds the caller's cgroup the init stays in (as runc does), never
     * a directory that will not exist.
     */
    @Test
    void theBoundDirectoryIsTheContainersWhereUsableElseTheCallers() {
        List<CgroupMount> mounts = List.of(
                new CgroupMount(Path.of("/sys/fs/cgroup/cpu"), "/", 1, Set.of("cpu")),
                new CgroupMount(Path.of("/sys/fs/cgroup/memory"), "/", 1, Set.of("memory")),
                new CgroupMount(Path.of("/sys/fs/cgroup/pids"), "/outside", 1, Set.of("pids")),
                new CgroupMount(Path.of("/sys/fs/cgroup/unified"), "/", 2, Set.of()));
        Map<String, Path> dirs = new LinkedHashMap<>();
        dirs.put("cpu", Path.of("/sys/fs/cgroup/cpu/c1"));
        dirs.put("memory", Path.of("/sys/fs/cgroup/memory/user/c1"));
        dirs.put("pids", Path.of("/sys/fs/cgroup/pids/c1"));
        dirs.put("unified", Path.of("/sys/fs/cgroup/unified/c1"));
        Map<String, String> own = Map.of("cpu", "/", "memory", "/user", "pids", "/", "unified", "/");
        Map<String, Path> bound = RootlessCgroups.visible(mounts, dirs, own, false, d -> d.startsWith("/sys/fs/cgroup/memory"));
        assertEquals(Map.of("cpu", Path.of("/sys/fs/cgroup/cpu"), "memory", Path.of("/sys/fs/cgroup/memory/user/c1"),
                "unified", Path.of("/sys/fs/cgroup/unified")), bound);
        assertEquals(List.of("cpu", "memory", "unified"), List.copyOf(bound.keySet()), "the hierarchies' order");

        // explicit cgroupsPath: create makes each or fails, so each is the container's, but for
        // the controller-less cgroup2 of a hybrid host, which may be left out
        Map<String, Path> explicit = new LinkedHashMap<>(dirs);
        explicit.put("unified", Path.of("/sys/fs/cgroup/unified"));
        assertEquals(explicit, RootlessCgroups.visible(mounts, dirs, own, true, d -> false));
    }

    @Test
    void aDirectoryIsUsableWhenItsNearestAncestorIsWritable(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        assertTrue(RootlessCgroups.usable(tmp.resolve("a/b/c")));
        java.nio.file.Files.createDirectory(tmp.resolve("x"));
        java.nio.file.Files.writeString(tmp.resolve("x/cgroup.procs"), "");
        assertTrue(RootlessCgroups.usable(tmp.resolve("x")));
    }
}
