package dev.jrunc.cgroups.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.DeviceRules;
import dev.jrunc.cgroups.ResourcesUpdate;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v1 writer against a temp-dir fake hierarchy: which file gets which value, in which order. */
class V1ResourcesTest {
    @TempDir
    Path root;

    Map<String, Path> dirs = new LinkedHashMap<>();

    @BeforeEach
    void hierarchy() throws Exception {
        for (String key : List.of("cpu,cpuacct", "cpuset", "memory", "pids", "blkio", "hugetlb", "net_cls,net_prio", "rdma",
                "devices", "name=systemd", "unified")) {
            Path d = Files.createDirectories(root.resolve(key).resolve("ct"));
            dirs.put(key, d);
        }
        Files.writeString(dirs.get("memory").resolve("memory.limit_in_bytes"), "9223372036854771712");
    }

    static Resources res(String json) throws Exception {
        return Json.mapper().readValue(json, Resources.class);
    }

    String read(String key, String file) throws Exception {
        return Files.readString(dirs.get(key).resolve(file));
    }

    @Test
    void writesEveryControllersFiles() throws Exception {
        new V1Resources(dirs).apply(res("""
                {"memory":{"limit":67108864,"reservation":1048576,"swap":134217728,"kernelTCP":4096,"swappiness":10,"disableOOMKiller":true},
                 "cpu":{"shares":512,"quota":50000,"period":100000,"realtimeRuntime":950,"realtimePeriod":1000,"cpus":"0-1","mems":"0"},
                 "pids":{"limit":10},
                 "blockIO":{"weight":300,"leafWeight":200,"weightDevice":[{"major":8,"minor":0,"weight":500,"leafWeight":400}],
                   "throttleReadBpsDevice":[{"major":8,"minor":0,"rate":1048576}],"throttleWriteIOPSDevice":[{"major":8,"minor":16,"rate":77}]},
                 "hugepageLimits":[{"pageSize":"2MB","limit":4194304}],
                 "network":{"classID":1048577,"priorities":[{"name":"eth0","priority":5}]},
                 "rdma":{"mlx5_1":{"hcaHandles":3,"hcaObjects":10000}}}"""), null);
        assertEquals("67108864", read("memory", "memory.limit_in_bytes"));
        assertEquals("134217728", read("memory", "memory.memsw.limit_in_bytes"));
        assertEquals("1048576", read("memory", "memory.soft_limit_in_bytes"));
        assertEquals("4096", read("memory", "memory.kmem.tcp.limit_in_bytes"));
        assertEquals("10", read("memory", "memory.swappiness"));
        assertEquals("1", read("memory", "memory.oom_control"));
        assertEquals("512", read("cpu,cpuacct", "cpu.shares"));
        assertEquals("50000", read("cpu,cpuacct", "cpu.cfs_quota_us"));
        assertEquals("100000", read("cpu,cpuacct", "cpu.cfs_period_us"));
        assertEquals("950", read("cpu,cpuacct", "cpu.rt_runtime_us"));
        assertEquals("1000", read("cpu,cpuacct", "cpu.rt_period_us"));
        assertEquals("0-1", read("cpuset", "cpuset.cpus"));
        assertEquals("0", read("cpuset", "cpuset.mems"));
        assertEquals("10", read("pids", "pids.max"));
        assertEquals("300", read("blkio", "blkio.weight"));
        assertEquals("200", read("blkio", "blkio.leaf_weight"));
        assertEquals("8:0 500", read("blkio", "blkio.weight_device"));
        assertEquals("8:0 400", read("blkio", "blkio.leaf_weight_device"));
        assertEquals("8:0 1048576", read("blkio", "blkio.throttle.read_bps_device"));
        assertEquals("8:16 77", read("blkio", "blkio.throttle.write_iops_device"));
        assertEquals("4194304", read("hugetlb", "hugetlb.2MB.limit_in_bytes"));
        assertEquals("1048577", read("net_cls,net_prio", "net_cls.classid"));
        assertEquals("eth0 5", read("net_cls,net_prio", "net_prio.ifpriomap"));
        assertEquals("mlx5_1 hca_handle=3 hca_object=10000", read("rdma", "rdma.max"));
        assertFalse(Files.exists(dirs.get("devices").resolve("devices.allow")), "update (devices null) leaves the rules alone");
    }

    @Test
    void pidsZeroAndMinusOneAreMax() {
        assertEquals("max", V1Resources.pidsValue(0));
        assertEquals("max", V1Resources.pidsValue(-1));
        assertEquals("7", V1Resources.pidsValue(7));
    }

    @Test
    void zeroValuesLeaveFilesAlone() throws Exception {
        new V1Resources(dirs).apply(res("{\"memory\":{\"limit\":0},\"cpu\":{\"shares\":0,\"quota\":0},\"blockIO\":{\"weight\":0}}"), null);
        assertEquals("9223372036854771712", read("memory", "memory.limit_in_bytes"));
        assertFalse(Files.exists(dirs.get("cpu,cpuacct").resolve("cpu.shares")));
        assertFalse(Files.exists(dirs.get("blkio").resolve("blkio.weight")));
    }

    @Test
    void memswFirstWhenRaisingLimitFirstWhenLowering() throws Exception {
        // memsw unwritable: the order shows in whether the limit was written before the failure
        Files.createDirectory(dirs.get("memory").resolve("memory.memsw.limit_in_bytes"));
        Files.writeString(dirs.get("memory").resolve("memory.limit_in_bytes"), "1000");
        assertThrows(JruncException.class, () -> new V1Resources(dirs).apply(res("{\"memory\":{\"limit\":5000,\"swap\":6000}}"), null));
        assertEquals("1000", read("memory", "memory.limit_in_bytes"), "raising: memsw is written first");
        assertThrows(JruncException.class, () -> new V1Resources(dirs).apply(res("{\"memory\":{\"limit\":-1}}"), null));
        assertEquals("1000", read("memory", "memory.limit_in_bytes"), "-1 alone makes swap -1, written first");
        assertThrows(JruncException.class, () -> new V1Resources(dirs).apply(res("{\"memory\":{\"limit\":500,\"swap\":800}}"), null));
        assertEquals("500", read("memory", "memory.limit_in_bytes"), "lowering: the limit is written first");
    }

    @Test
    void failuresUseRuncsWording() throws Exception {
        Files.createDirectory(dirs.get("pids").resolve("pids.max"));
        JruncException e = assertThrows(JruncException.class, () -> new V1Resources(dirs).apply(res("{\"pids\":{\"limit\":5}}"), null));
        assertTrue(e.getMessage().startsWith("failed to write \"5\": write " + dirs.get("pids").resolve("pids.max") + ": "), e.getMessage());
        e = assertThrows(JruncException.class, () -> new V1Resources(dirs).apply(res("{\"memory\":{\"swappiness\":101}}"), null));
        assertEquals("invalid value:101. valid memory swappiness range is 0-100", e.getMessage());
    }

    @Test
    void deviceRulesAreTheConfigsThenRuncsDefaults() throws Exception {
        Device fuse = Json.mapper().readValue("{\"type\":\"c\",\"path\":\"/dev/fuse\",\"major\":10,\"minor\":229}", Device.class);
        Resources r = res("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"b\",\"major\":7,\"access\":\"r\"}]}");
        List<DeviceRules.Rule> rules = DeviceRules.effective(r.devices(), List.of(fuse));
        assertEquals("deny a", rules.get(0).toString());
        assertEquals("allow b 7:* r", rules.get(1).toString());
        assertEquals("allow c *:* m", rules.get(2).toString());
        assertEquals("allow c 10:200 rwm", rules.get(rules.size() - 1).toString(), "linux.devices get no rule (runc)");
        assertEquals(2 + DeviceRules.DEFAULT_ALLOWED.size(), rules.size());
        // written as runc's transition from a new cgroup: deny all, then the exceptions by (major, minor, type)
        assertEquals(List.of("deny a", "allow b *:* m", "allow c *:* m", "allow c 1:3 rwm", "allow c 1:5 rwm", "allow c 1:7 rwm",
                "allow c 1:8 rwm", "allow c 1:9 rwm", "allow c 5:0 rwm", "allow c 5:2 rwm", "allow b 7:* r", "allow c 10:200 rwm",
                "allow c 136:* rwm"),
                V1Resources.deviceWrites(r.devices(), List.of(fuse)).stream().map(Object::toString).toList());
        new V1Resources(dirs).apply(r, List.of(fuse));
        assertEquals("c 136:* rwm", read("devices", "devices.allow"), "the last allow written");
        assertEquals("a", read("devices", "devices.deny"));
    }

    @Test
    void aConfigDeviceAtADefaultsPathDropsTheDefault() throws Exception {
        // runc: the config's /dev/null replaces the default one, whose allow rule goes with it
        Device nul = Json.mapper().readValue("{\"type\":\"c\",\"path\":\"/dev/null\",\"major\":1,\"minor\":3}", Device.class);
        List<String> rules = DeviceRules.effective(null, List.of(nul)).stream().map(Object::toString).toList();
        assertFalse(rules.contains("allow c 1:3 rwm"), rules.toString());
        assertEquals(DeviceRules.DEFAULT_ALLOWED.size() - 1, rules.size());
    }

    @Test
    void deviceRulesWithoutResourcesAreRuncsDefaults() throws Exception {
        // runc denies every other device even when the config has no linux.resources
        new V1Resources(dirs).apply(null, List.of());
        assertEquals("a", read("devices", "devices.deny"));
        assertEquals("c 136:* rwm", read("devices", "devices.allow"));
    }

    @Test
    void updateParsesSizesAndMerges() throws Exception {
        assertEquals(64L << 20, ResourcesUpdate.ramInBytes("memory", "64m"));
        assertEquals(1L << 30, ResourcesUpdate.ramInBytes("memory", "1GiB"));
        assertEquals(1536, ResourcesUpdate.ramInBytes("memory", "1.5k"));
        assertEquals(1000, ResourcesUpdate.ramInBytes("memory", "1000"));
        assertEquals(-1, ResourcesUpdate.ramInBytes("memory", "-1"));
        JruncException e = assertThrows(JruncException.class, () -> ResourcesUpdate.ramInBytes("memory", "lots"));
        assertEquals("invalid value for memory: invalid size: 'lots'", e.getMessage());
        Resources merged = ResourcesUpdate.merge(res("{\"memory\":{\"limit\":1,\"swap\":2},\"pids\":{\"limit\":3}}"),
                res("{\"memory\":{\"limit\":5},\"cpu\":{\"shares\":7}}"));
        assertEquals(5L, merged.memory().limit());
        assertEquals(2L, merged.memory().swap());
        assertEquals(3L, merged.pids().limit());
        assertEquals(7L, merged.cpu().shares());
    }
}
