package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stats and events on temp-dir fakes of v1 and v2 cgroup trees. */
class StatsTest {
    @TempDir
    Path tmp;

    private Path dir(String name, String... files) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(d.resolve(files[i]), files[i + 1]);
        }
        return d;
    }

    private JsonNode parse(String line) throws Exception {
        return Json.mapper().readTree(line);
    }

    @Test
    void v1FilesInRuncShape() throws Exception {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("cpu", dir("cpu", "cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 3000\n").toString());
        paths.put("cpuacct", dir("cpuacct", "cpuacct.usage", "1500\n", "cpuacct.usage_percpu", "1000 500 \n",
                "cpuacct.usage_all", "cpu user system\n0 700 300\n1 400 100\n", "cpuacct.stat", "user 3\nsystem 1\n").toString());
        paths.put("memory", dir("memory", "memory.usage_in_bytes", "4096\n", "memory.limit_in_bytes", "9223372036854771712\n",
                "memory.max_usage_in_bytes", "8192\n", "memory.failcnt", "0\n", "memory.memsw.usage_in_bytes", "4096\n",
                "memory.memsw.limit_in_bytes", "9223372036854771712\n", "memory.stat", "rss 53248\ncache 12\nactive_anon 4096\n",
                "memory.kmem.tcp.usage_in_bytes", "0\n").toString());
        paths.put("pids", dir("pids", "pids.current", "2\n", "pids.max", "max\n").toString());
        paths.put("blkio", dir("blkio", "blkio.throttle.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 0\nTotal 4096\n",
                "blkio.throttle.io_serviced_recursive", "Total 0\n").toString());
        paths.put("cpuset", dir("cpuset", "cpuset.cpus", "0-2,5\n", "cpuset.mems", "0\n", "cpuset.cpu_exclusive", "0\n",
                "cpuset.sched_load_balance", "1\n", "cpuset.sched_relax_domain_level", "-1\n").toString());
        JsonNode e = parse(Events.stats("c1", new Stats(paths).collect()));
        assertEquals("stats", e.get("type").asText());
        assertEquals("c1", e.get("id").asText());
        JsonNode d = e.get("data");
        assertEquals("{\"total\":1500,\"percpu\":[1000,500],\"percpu_kernel\":[300,100],\"percpu_user\":[700,400],"
                + "\"kernel\":10000000,\"user\":30000000}", d.get("cpu").get("usage").toString());
        assertEquals("{\"periods\":10,\"throttledPeriods\":2,\"throttledTime\":3000}", d.get("cpu").get("throttling").toString());
        assertEquals("[0,1,2,5]", d.get("cpuset").get("cpus").toString());
        assertEquals(-1, d.get("cpuset").get("sched_relax_domain_level").asLong());
        assertEquals(12, d.get("memory").get("cache").asLong());
        assertEquals("{\"limit\":9223372036854771712,\"usage\":4096,\"max\":8192,\"failcnt\":0}",
                d.get("memory").get("usage").toString());
        assertEquals("{\"limit\":0,\"failcnt\":0}", d.get("memory").get("kernelTCP").toString());
        // raw is a Go map: sorted keys
        assertEquals("{\"active_anon\":4096,\"cache\":12,\"rss\":53248}", d.get("memory").get("raw").toString());
        assertEquals("{\"current\":2}", d.get("pids").toString());
        assertEquals("{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":4096},{\"major\":8,\"op\":\"Write\"}]}",
                d.get("blkio").toString());
        assertEquals("{}", d.get("hugetlb").toString());
        assertTrue(d.get("network_interfaces").isNull());
    }

    @Test
    void v2UnifiedFiles() throws Exception {
        Path u = dir("unified", "cpu.stat", "usage_usec 20\nuser_usec 15\nsystem_usec 5\nnr_periods 0\n",
                "memory.current", "65536\n", "memory.max", "max\n", "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n",
                "memory.stat", "anon 4096\nfile 8192\n", "pids.current", "4\n", "pids.max", "100\n");
        JsonNode d = parse(Events.stats("c2", new Stats(Map.of("unified", u.toString())).collect())).get("data");
        assertEquals("{\"total\":20000,\"kernel\":5000,\"user\":15000}", d.get("cpu").get("usage").toString());
        assertEquals("{\"limit\":18446744073709551615,\"usage\":65536,\"failcnt\":3}", d.get("memory").get("usage").toString());
        assertEquals(8192, d.get("memory").get("cache").asLong());
        assertEquals("{\"current\":4,\"limit\":100}", d.get("pids").toString());
    }

    @Test
    void v2IoStatAndHugetlbInRuncShape() throws Exception {
        Path u = dir("unified2", "io.stat", "8:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n253:1 rbytes=0 wbytes=512 rios=0 wios=2\n",
                "hugetlb.2MB.current", "2097152\n", "hugetlb.2MB.events", "max 2\n", "hugetlb.2MB.max", "max\n",
                "hugetlb.2MB.rsvd.current", "0\n", "hugetlb.1GB.current", "0\n", "hugetlb.1GB.events", "max 0\n");
        JsonNode d = parse(Events.stats("c3", new Stats(Map.of("unified", u.toString())).collect())).get("data");
        assertEquals("[{\"major\":8,\"op\":\"Read\",\"value\":4096},{\"major\":8,\"op\":\"Write\"},"
                + "{\"major\":253,\"minor\":1,\"op\":\"Read\"},{\"major\":253,\"minor\":1,\"op\":\"Write\",\"value\":512}]",
                d.get("blkio").get("ioServiceBytesRecursive").toString());
        assertEquals(4, d.get("blkio").get("ioServicedRecursive").size());
        assertEquals("{\"1GB\":{\"failcnt\":0},\"2MB\":{\"usage\":2097152,\"failcnt\":2}}", d.get("hugetlb").toString());
    }

    @Test
    void oomEventsAndTheirLine() throws Exception {
        Path m = dir("memory", "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Events.OomWatch w = new Events.OomWatch(Map.of("memory", m.toString()));
        assertFalse(w.fired()); // the kills before watching do not count
        Files.writeString(m.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        assertTrue(w.fired());
        assertFalse(w.fired());
        Files.writeString(m.resolve("memory.oom_control"), "oom_kill_disable 1\nunder_oom 1\noom_kill 3\n");
        assertTrue(w.fired());
        assertFalse(w.fired());
        Path u = dir("unified", "memory.events", "oom 0\noom_kill 0\n");
        Events.OomWatch v2 = new Events.OomWatch(Map.of("unified", u.toString()));
        Files.writeString(u.resolve("memory.events"), "oom 1\noom_kill 1\n");
        assertTrue(v2.fired());
        assertEquals("{\"type\":\"oom\",\"id\":\"c3\"}", Events.oom("c3"));
    }

    @Test
    void goDurations() {
        assertEquals(5000, Events.parseDuration("5s"));
        assertEquals(200, Events.parseDuration("200ms"));
        assertEquals(90_000, Events.parseDuration("1m30s"));
        assertEquals(1500, Events.parseDuration("1.5s"));
        assertEquals(0, Events.parseDuration("0"));
        assertEquals(-1000, Events.parseDuration("-1s"));
        assertEquals("time: invalid duration \"x\"",
                assertThrows(IllegalArgumentException.class, () -> Events.parseDuration("x")).getMessage());
        assertEquals("time: missing unit in duration \"5\"",
                assertThrows(IllegalArgumentException.class, () -> Events.parseDuration("5")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Events.parseDuration("5d"));
    }
}
