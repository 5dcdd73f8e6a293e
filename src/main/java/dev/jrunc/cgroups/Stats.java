package dev.jrunc.cgroups;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.spec.CpuList;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A container's resource usage read from its cgroup files, in the shape of runc's
 * {@code events} {@code data} (runc's {@code types.Stats}, field names and Go's
 * {@code omitempty} rules kept): cpu, cpuset, memory, pids, blkio, hugetlb, and runc's empty
 * {@code intel_rdt} and null {@code network_interfaces}. v1 controllers are read where the
 * container has them; on a v2 hierarchy the unified files ({@code cpu.stat},
 * {@code memory.current}, {@code memory.stat}, {@code pids.current}, ...).
 */
public final class Stats {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** USER_HZ: cpuacct.stat counts ticks of 1/100 s. */
    private static final long NS_PER_TICK = 10_000_000L;

    private final Map<String, String> cgroupPaths;

    public Stats(Map<String, String> cgroupPaths) {
        this.cgroupPaths = cgroupPaths;
    }

    /** The directory of the v1 hierarchy holding {@code controller}, if the container has one. */
    private Optional<Path> v1(String controller) {
        for (Map.Entry<String, String> e : cgroupPaths.entrySet()) {
            if (List.of(e.getKey().split(",")).contains(controller) && Files.isDirectory(Path.of(e.getValue()))) {
                return Optional.of(Path.of(e.getValue()));
            }
        }
        return Optional.empty();
    }

    private Optional<Path> unified() {
        String dir = cgroupPaths.get("unified");
        return dir == null || !Files.isDirectory(Path.of(dir)) ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /** The {@code data} object of a stats event. */
    public ObjectNode collect() {
        ObjectNode data = F.objectNode();
        data.set("cpu", cpu());
        data.set("cpuset", cpuset());
        data.set("memory", memory());
        data.set("pids", pids());
        data.set("blkio", blkio());
        data.set("hugetlb", hugetlb());
        data.set("intel_rdt", F.objectNode());
        data.putNull("network_interfaces");
        return data;
    }

    private ObjectNode cpu() {
        ObjectNode usage = F.objectNode();
        ObjectNode throttling = F.objectNode();
        Optional<Path> acct = v1("cpuacct");
        Optional<Path> cpu = v1("cpu");
        Optional<Path> v2 = unified().filter(d -> Files.exists(d.resolve("cpu.stat")));
        if (acct.isPresent()) {
            Path d = acct.get();
            putNonZero(usage, "total", number(d, "cpuacct.usage"));
            List<BigInteger> percpu = numbers(d, "cpuacct.usage_percpu");
            if (!percpu.isEmpty()) {
                usage.set("percpu", array(percpu));
            }
            // cpuacct.usage_all: "cpu user system" then one line per cpu
            List<BigInteger> kernel = new ArrayList<>();
            List<BigInteger> user = new ArrayList<>();
            for (String line : lines(d, "cpuacct.usage_all")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && !f[0].equals("cpu")) {
                    user.add(new BigInteger(f[1]));
                    kernel.add(new BigInteger(f[2]));
                }
            }
            if (!kernel.isEmpty()) {
                usage.set("percpu_kernel", array(kernel));
                usage.set("percpu_user", array(user));
            }
            Map<String, BigInteger> stat = keyed(d, "cpuacct.stat");
            usage.put("kernel", stat.getOrDefault("system", BigInteger.ZERO).multiply(BigInteger.valueOf(NS_PER_TICK)));
            usage.put("user", stat.getOrDefault("user", BigInteger.ZERO).multiply(BigInteger.valueOf(NS_PER_TICK)));
        } else if (v2.isPresent()) {
            Map<String, BigInteger> stat = keyed(v2.get(), "cpu.stat");
            BigInteger thousand = BigInteger.valueOf(1000);
            putNonZero(usage, "total", stat.getOrDefault("usage_usec", BigInteger.ZERO).multiply(thousand));
            usage.put("kernel", stat.getOrDefault("system_usec", BigInteger.ZERO).multiply(thousand));
            usage.put("user", stat.getOrDefault("user_usec", BigInteger.ZERO).multiply(thousand));
            throttle(throttling, stat, stat.getOrDefault("throttled_usec", BigInteger.ZERO).multiply(thousand));
        } else {
            usage.put("kernel", 0);
            usage.put("user", 0);
        }
        if (cpu.isPresent()) {
            Map<String, BigInteger> stat = keyed(cpu.get(), "cpu.stat");
            throttle(throttling, stat, stat.getOrDefault("throttled_time", BigInteger.ZERO));
        }
        ObjectNode node = F.objectNode();
        node.set("usage", usage);
        node.set("throttling", throttling);
        return node;
    }

    private static void throttle(ObjectNode throttling, Map<String, BigInteger> stat, BigInteger time) {
        putNonZero(throttling, "periods", stat.getOrDefault("nr_periods", BigInteger.ZERO));
        putNonZero(throttling, "throttledPeriods", stat.getOrDefault("nr_throttled", BigInteger.ZERO));
        putNonZero(throttling, "throttledTime", time);
    }

    private ObjectNode cpuset() {
        ObjectNode node = F.objectNode();
        Optional<Path> dir = v1("cpuset").or(() -> unified().filter(d -> Files.exists(d.resolve("cpuset.cpus.effective"))));
        if (dir.isEmpty()) {
            for (String k : List.of("cpu_exclusive", "mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page",
                    "memory_spread_slab", "memory_pressure", "sched_load_balance", "sched_relax_domain_level")) {
                node.put(k, 0);
            }
            return node;
        }
        Path d = dir.get();
        boolean v1 = Files.exists(d.resolve("cpuset.cpus")) && Files.exists(d.resolve("cpuset.cpu_exclusive"));
        list(node, "cpus", read(d, v1 ? "cpuset.cpus" : "cpuset.cpus.effective"));
        node.put("cpu_exclusive", orZero(number(d, "cpuset.cpu_exclusive")));
        list(node, "mems", read(d, v1 ? "cpuset.mems" : "cpuset.mems.effective"));
        for (String k : List.of("mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page", "memory_spread_slab",
                "memory_pressure", "sched_load_balance")) {
            node.put(k, orZero(number(d, "cpuset." + k)));
        }
        String relax = read(d, "cpuset.sched_relax_domain_level").trim();
        node.put("sched_relax_domain_level", relax.isEmpty() ? 0 : Long.parseLong(relax));
        return node;
    }

    private static void list(ObjectNode node, String name, String cpuList) {
        cpuList = cpuList.trim();
        if (cpuList.isEmpty()) {
            return;
        }
        ArrayNode a = F.arrayNode();
        try {
            CpuList.parse(cpuList).stream().forEach(a::add);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!a.isEmpty()) {
            node.set(name, a);
        }
    }

    private ObjectNode memory() {
        ObjectNode node = F.objectNode();
        Optional<Path> v1 = v1("memory");
        if (v1.isPresent()) {
            Path d = v1.get();
            Map<String, BigInteger> raw = keyed(d, "memory.stat");
            putNonZero(node, "cache", raw.getOrDefault("cache", BigInteger.ZERO));
            node.set("usage", entry(d, "memory"));
            node.set("swap", entry(d, "memory.memsw"));
            node.set("kernel", entry(d, "memory.kmem"));
            node.set("kernelTCP", entry(d, "memory.kmem.tcp"));
            raw(node, raw);
            return node;
        }
        Optional<Path> v2 = unified().filter(d -> Files.exists(d.resolve("memory.current")));
        if (v2.isPresent()) {
            Path d = v2.get();
            Map<String, BigInteger> raw = keyed(d, "memory.stat");
            putNonZero(node, "cache", raw.getOrDefault("file", BigInteger.ZERO));
            node.set("usage", entryV2(d, "memory.current", "memory.max", keyed(d, "memory.events").get("max")));
            node.set("swap", entryV2(d, "memory.swap.current", "memory.swap.max", null));
            node.set("kernel", emptyEntry());
            node.set("kernelTCP", emptyEntry());
            raw(node, raw);
            return node;
        }
        for (String k : List.of("usage", "swap", "kernel", "kernelTCP")) {
            node.set(k, emptyEntry());
        }
        return node;
    }

    private static void raw(ObjectNode node, Map<String, BigInteger> raw) {
        if (!raw.isEmpty()) {
            ObjectNode r = F.objectNode();
            new TreeMap<>(raw).forEach(r::put); // a Go map: sorted keys
            node.set("raw", r);
        }
    }

    private static ObjectNode emptyEntry() {
        ObjectNode e = F.objectNode();
        e.put("limit", 0);
        e.put("failcnt", 0);
        return e;
    }

    /** v1 {@code PREFIX.usage_in_bytes}, {@code .max_usage_in_bytes}, {@code .failcnt}, {@code .limit_in_bytes}. */
    private static ObjectNode entry(Path d, String prefix) {
        ObjectNode e = F.objectNode();
        e.put("limit", orZero(number(d, prefix + ".limit_in_bytes")));
        putNonZero(e, "usage", number(d, prefix + ".usage_in_bytes"));
        putNonZero(e, "max", number(d, prefix + ".max_usage_in_bytes"));
        e.put("failcnt", orZero(number(d, prefix + ".failcnt")));
        return e;
    }

    private static ObjectNode entryV2(Path d, String current, String max, BigInteger failcnt) {
        ObjectNode e = F.objectNode();
        String limit = read(d, max).trim();
        // "max": runc reports the largest uint64
        e.put("limit", limit.equals("max") ? new BigInteger("18446744073709551615") : orZero(number(d, max)));
        putNonZero(e, "usage", number(d, current));
        e.put("failcnt", failcnt == null ? BigInteger.ZERO : failcnt);
        return e;
    }

    private ObjectNode pids() {
        ObjectNode node = F.objectNode();
        Optional<Path> dir = v1("pids").or(() -> unified().filter(d -> Files.exists(d.resolve("pids.current"))));
        if (dir.isPresent()) {
            putNonZero(node, "current", number(dir.get(), "pids.current"));
            putNonZero(node, "limit", number(dir.get(), "pids.max")); // "max" (no limit) is 0, left out
        }
        return node;
    }

    private ObjectNode blkio() {
        ObjectNode node = F.objectNode();
        Optional<Path> dir = v1("blkio");
        if (dir.isEmpty()) {
            unified().filter(d -> Files.exists(d.resolve("io.stat"))).ifPresent(d -> ioStat(node, d));
            return node;
        }
        Path d = dir.get();
        // runc: the CFQ/BFQ files when the kernel has them and they have entries, else the throttle ones
        String[][] cfq = {
            {"ioServiceBytesRecursive", "blkio.io_service_bytes_recursive"},
            {"ioServicedRecursive", "blkio.io_serviced_recursive"},
            {"ioQueueRecursive", "blkio.io_queued_recursive"},
            {"ioServiceTimeRecursive", "blkio.io_service_time_recursive"},
            {"ioWaitTimeRecursive", "blkio.io_wait_time_recursive"},
            {"ioMergedRecursive", "blkio.io_merged_recursive"},
            {"ioTimeRecursive", "blkio.time_recursive"},
            {"sectorsRecursive", "blkio.sectors_recursive"},
        };
        if (!blkioEntries(d, "blkio.io_serviced_recursive").isEmpty()) {
            for (String[] f : cfq) {
                ArrayNode a = blkioEntries(d, f[1]);
                if (!a.isEmpty()) {
                    node.set(f[0], a);
                }
            }
            return node;
        }
        ArrayNode bytes = blkioEntries(d, "blkio.throttle.io_service_bytes_recursive");
        ArrayNode ios = blkioEntries(d, "blkio.throttle.io_serviced_recursive");
        if (!bytes.isEmpty()) {
            node.set("ioServiceBytesRecursive", bytes);
        }
        if (!ios.isEmpty()) {
            node.set("ioServicedRecursive", ios);
        }
        return node;
    }

    /**
     * v2 {@code io.stat} ({@code MAJ:MIN rbytes=N wbytes=N rios=N wios=N ...}) as runc 1.1 maps it:
     * bytes into ioServiceBytesRecursive, I/Os into ioServicedRecursive, ops Read and Write.
     */
    private static void ioStat(ObjectNode node, Path d) {
        ArrayNode bytes = F.arrayNode();
        ArrayNode ios = F.arrayNode();
        for (String line : lines(d, "io.stat")) {
            String[] f = line.trim().split("\\s+");
            String[] mm = f[0].split(":");
            if (mm.length != 2) {
                continue;
            }
            try {
                BigInteger major = new BigInteger(mm[0]);
                BigInteger minor = new BigInteger(mm[1]);
                for (int i = 1; i < f.length; i++) {
                    String[] kv = f[i].split("=", 2);
                    if (kv.length != 2) {
                        continue;
                    }
                    ArrayNode into = switch (kv[0]) {
                        case "rbytes", "wbytes" -> bytes;
                        case "rios", "wios" -> ios;
                        default -> null;
                    };
                    if (into == null) {
                        continue;
                    }
                    ObjectNode e = F.objectNode();
                    putNonZero(e, "major", major);
                    putNonZero(e, "minor", minor);
                    e.put("op", kv[0].charAt(0) == 'r' ? "Read" : "Write");
                    putNonZero(e, "value", new BigInteger(kv[1]));
                    into.add(e);
                }
            } catch (NumberFormatException e) {
                // a line of another shape: left out
            }
        }
        if (!bytes.isEmpty()) {
            node.set("ioServiceBytesRecursive", bytes);
        }
        if (!ios.isEmpty()) {
            node.set("ioServicedRecursive", ios);
        }
    }

    /** Lines {@code MAJ:MIN [OP] VALUE}; the {@code Total} line is left out. */
    private static ArrayNode blkioEntries(Path d, String file) {
        ArrayNode a = F.arrayNode();
        for (String line : lines(d, file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) {
                continue;
            }
            String[] mm = f[0].split(":");
            ObjectNode e = F.objectNode();
            try {
                putNonZero(e, "major", new BigInteger(mm[0]));
                putNonZero(e, "minor", new BigInteger(mm[1]));
                if (f.length == 3) {
                    e.put("op", f[1]);
                }
                putNonZero(e, "value", new BigInteger(f[f.length - 1]));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException ex) {
                continue;
            }
            a.add(e);
        }
        return a;
    }

    private ObjectNode hugetlb() {
        ObjectNode node = F.objectNode();
        Optional<Path> dir = v1("hugetlb");
        if (dir.isEmpty()) {
            unified().ifPresent(d -> hugetlbV2(node, d));
            return node;
        }
        Map<String, ObjectNode> sizes = new TreeMap<>();
        try (var files = Files.list(dir.get())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("hugetlb.") && name.endsWith(".usage_in_bytes")) {
                    String size = name.substring("hugetlb.".length(), name.length() - ".usage_in_bytes".length());
                    ObjectNode e = F.objectNode();
                    putNonZero(e, "usage", number(dir.get(), name));
                    putNonZero(e, "max", number(dir.get(), "hugetlb." + size + ".max_usage_in_bytes"));
                    e.put("failcnt", orZero(number(dir.get(), "hugetlb." + size + ".failcnt")));
                    sizes.put(size, e);
                }
            }
        } catch (IOException e) {
            return node;
        }
        sizes.forEach(node::set);
        return node;
    }

    /** v2: per page size {@code hugetlb.SIZE.current} (usage) and the {@code max} count of {@code hugetlb.SIZE.events} (failcnt), as runc. */
    private static void hugetlbV2(ObjectNode node, Path d) {
        Map<String, ObjectNode> sizes = new TreeMap<>();
        try (var files = Files.list(d)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("hugetlb.") && name.endsWith(".current") && !name.contains(".rsvd.")) {
                    String size = name.substring("hugetlb.".length(), name.length() - ".current".length());
                    ObjectNode e = F.objectNode();
                    putNonZero(e, "usage", number(d, name));
                    e.put("failcnt", orZero(keyed(d, "hugetlb." + size + ".events").get("max")));
                    sizes.put(size, e);
                }
            }
        } catch (IOException e) {
            return;
        }
        sizes.forEach(node::set);
    }

    // --- file reading ---

    private static String read(Path d, String file) {
        try {
            return Files.readString(d.resolve(file));
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> lines(Path d, String file) {
        String text = read(d, file);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** A file holding one unsigned number; null when missing or not a number ("max"). */
    private static BigInteger number(Path d, String file) {
        try {
            return new BigInteger(read(d, file).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<BigInteger> numbers(Path d, String file) {
        List<BigInteger> out = new ArrayList<>();
        for (String f : read(d, file).trim().split("\\s+")) {
            if (!f.isEmpty()) {
                try {
                    out.add(new BigInteger(f));
                } catch (NumberFormatException e) {
                    return List.of();
                }
            }
        }
        return out;
    }

    /** {@code key value} lines (memory.stat, cpu.stat, cpuacct.stat), in file order. */
    private static Map<String, BigInteger> keyed(Path d, String file) {
        Map<String, BigInteger> out = new java.util.LinkedHashMap<>();
        for (String line : lines(d, file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    out.put(f[0], new BigInteger(f[1]));
                } catch (NumberFormatException e) {
                    // not a counter
                }
            }
        }
        return out;
    }

    private static BigInteger orZero(BigInteger n) {
        return n == null ? BigInteger.ZERO : n;
    }

    private static void putNonZero(ObjectNode node, String name, BigInteger n) {
        if (n != null && n.signum() != 0) {
            node.put(name, n);
        }
    }

    private static ArrayNode array(List<BigInteger> values) {
        ArrayNode a = F.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
