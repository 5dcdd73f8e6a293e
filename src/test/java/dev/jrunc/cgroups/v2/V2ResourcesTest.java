package dev.jrunc.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.CgroupMount;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v2 writer against a temp-dir fake cgroup2 tree (this host's cgroup2 has no controllers). */
class V2ResourcesTest {
    @TempDir
    Path root;

    static Resources res(String json) throws Exception {
        return Json.mapper().readValue(json, Resources.class);
    }

    String read(Path dir, String file) throws Exception {
        return Files.readString(dir.resolve(file));
    }

    @Test
    void conversionsAreRuncs() throws Exception {
        assertEquals(1, V2Resources.cpuWeight(2));
        assertEquals(39, V2Resources.cpuWeight(1024));
        assertEquals(10000, V2Resources.cpuWeight(262144));
        assertEquals(0, V2Resources.cpuWeight(0));
        assertEquals(1, V2Resources.ioWeight(10));
        assertEquals(5000, V2Resources.ioWeight(505));
        assertEquals(10000, V2Resources.ioWeight(1000));
        assertEquals("50000 100000", V2Resources.cpuMax(50000, 100000));
        assertEquals("max 100000", V2Resources.cpuMax(-1, 100000));
        assertEquals("20000", V2Resources.cpuMax(20000, 0));
        assertEquals(null, V2Resources.cpuMax(0, 0));
        assertEquals(64, V2Resources.swapMax(192, 128));
        assertEquals(-1, V2Resources.swapMax(-1, 128));
        assertEquals(0, V2Resources.swapMax(0, 128));
        assertEquals("memory+swap limit should be >= memory limit",
                assertThrows(JruncException.class, () -> V2Resources.swapMax(100, 128)).getMessage());
        assertEquals("unable to set swap limit without memory limit",
                assertThrows(JruncException.class, () -> V2Resources.swapMax(100, 0)).getMessage());
    }

    @Test
    void writesTheV2Files() throws Exception {
        Path dir = Files.createDirectories(root.resolve("ct"));
        Files.writeString(dir.resolve("memory.high"), "max");
        new V2Resources(dir).apply(res("""
                {"memory":{"limit":134217728,"swap":201326592,"reservation":1048576},
                 "cpu":{"shares":1024,"quota":50000,"period":100000,"cpus":"0","mems":"0"},
                 "pids":{"limit":-1},
                 "blockIO":{"weight":505,"throttleReadBpsDevice":[{"major":8,"minor":0,"rate":1000}]},
                 "hugepageLimits":[{"pageSize":"2MB","limit":2097152}],
                 "rdma":{"mlx5_1":{"hcaHandles":2}},
                 "unified":{"memory.high":"100000000"}}"""));
        assertEquals("67108864", read(dir, "memory.swap.max"));
        assertEquals("134217728", read(dir, "memory.max"));
        assertEquals("1048576", read(dir, "memory.low"));
        assertEquals("39", read(dir, "cpu.weight"));
        assertEquals("50000 100000", read(dir, "cpu.max"));
        assertEquals("0", read(dir, "cpuset.cpus"));
        assertEquals("0", read(dir, "cpuset.mems"));
        assertEquals("max", read(dir, "pids.max"));
        assertEquals("5000", read(dir, "io.weight"));
        assertEquals("8:0 rbps=1000", read(dir, "io.max"));
        assertEquals("2097152", read(dir, "hugetlb.2MB.max"));
        assertEquals("mlx5_1 hca_handle=2", read(dir, "rdma.max"));
        assertEquals("100000000", read(dir, "memory.high"));
    }

    @Test
    void memoryMinusOneMeansUnlimitedSwapToo() throws Exception {
        Path dir = Files.createDirectories(root.resolve("ct"));
        new V2Resources(dir).apply(res("{\"memory\":{\"limit\":-1}}"));
        assertEquals("max", read(dir, "memory.max"));
        assertEquals("max", read(dir, "memory.swap.max"));
    }

    @Test
    void swapEqualToTheLimitMeansNoSwap() throws Exception {
        Path dir = Files.createDirectories(root.resolve("ct"));
        Files.writeString(dir.resolve("memory.swap.max"), "max");
        new V2Resources(dir).apply(res("{\"memory\":{\"limit\":67108864,\"swap\":67108864}}"));
        assertEquals("0", read(dir, "memory.swap.max"));
        assertEquals("67108864", read(dir, "memory.max"));
    }

    @Test
    void swapValueIsRuncsConversion() throws Exception {
        assertEquals("0", V2Resources.swapValue(128, 128));
        assertEquals("64", V2Resources.swapValue(192, 128));
        assertEquals("max", V2Resources.swapValue(-1, 128));
        assertEquals("max", V2Resources.swapValue(-1, -1));
        assertEquals(null, V2Resources.swapValue(0, 128));
        assertEquals(null, V2Resources.swapValue(0, 0));
        assertEquals("memory+swap limit should be >= memory limit",
                assertThrows(JruncException.class, () -> V2Resources.swapValue(100, 128)).getMessage());
        assertEquals("unable to set swap limit without memory limit",
                assertThrows(JruncException.class, () -> V2Resources.swapValue(128, -1)).getMessage());
        assertEquals("invalid memory value: -2",
                assertThrows(JruncException.class, () -> V2Resources.swapValue(128, -2)).getMessage());
    }

    @Test
    void swapLeftAloneWhenOnlyTheLimitIsSet() throws Exception {
        Path dir = Files.createDirectories(root.resolve("ct"));
        Files.writeString(dir.resolve("memory.swap.max"), "max");
        new V2Resources(dir).apply(res("{\"memory\":{\"limit\":67108864}}"));
        assertEquals("max", read(dir, "memory.swap.max"));
    }

    @Test
    void bfqTakesTheBlkioWeightAsIs() throws Exception {
        Path dir = Files.createDirectories(root.resolve("ct"));
        Files.writeString(dir.resolve("io.bfq.weight"), "default 100");
        new V2Resources(dir).apply(res("{\"blockIO\":{\"weight\":300}}"));
        assertEquals("300", read(dir, "io.bfq.weight"));
        assertFalse(Files.exists(dir.resolve("io.weight")));
    }

    @Test
    void unifiedRefusesPathsAndMissingControllers() throws Exception {
        Path dir = Files.createDirectories(root.resolve("ct"));
        assertEquals("unified resource \"../x\" must be a file name with no path",
                assertThrows(JruncException.class, () -> new V2Resources(dir).apply(res("{\"unified\":{\"../x\":\"1\"}}"))).getMessage());
        assertEquals("unified resource \"misc.max\" can't be set: controller \"misc\" not available",
                assertThrows(JruncException.class, () -> new V2Resources(dir).apply(res("{\"unified\":{\"misc.max\":\"1\"}}"))).getMessage());
    }

    @Test
    void controllersAreEnabledAlongThePathOnAV2OnlyHost() throws Exception {
        Path mount = root.resolve("cg2");
        Path leaf = Files.createDirectories(mount.resolve("jrunc/ct"));
        Files.writeString(mount.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.writeString(mount.resolve("jrunc/cgroup.controllers"), "memory pids\n");
        List<CgroupMount> mounts = List.of(new CgroupMount(mount, "/", 2, Set.of()));
        dev.jrunc.sys.FakeSyscalls sys = new dev.jrunc.sys.FakeSyscalls();
        sys.paths.add(leaf.toString());
        ResourcesWriter.applyV2(sys, mounts, Map.of("unified", leaf), res("{\"pids\":{\"limit\":9}}"), List.of(), true);
        // the device rules went to the container's directory as one eBPF program (runc's defaults: deny but the allow list)
        assertEquals(List.of(1), sys.bpfAttached.get(leaf.toString()));
        assertEquals(1, sys.bpfPrograms.size());
        assertEquals(Set.of(), sys.openFds(), "the program's and the directory's fds are closed");
        // a regular file keeps the last write: the last controller of each level
        assertEquals("+pids", read(mount, "cgroup.subtree_control"));
        assertEquals("+pids", read(mount.resolve("jrunc"), "cgroup.subtree_control"));
        assertFalse(Files.exists(leaf.resolve("cgroup.subtree_control")), "the container's own level is left alone");
        assertEquals("9", read(leaf, "pids.max"));
    }
}
