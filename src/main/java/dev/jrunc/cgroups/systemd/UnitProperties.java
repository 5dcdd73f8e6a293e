package dev.jrunc.cgroups.systemd;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.v2.V2Resources;
import dev.jrunc.spec.model.Cpu;
import dev.jrunc.spec.model.Memory;
import dev.jrunc.spec.model.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * The unit properties runc's systemd driver gives a container's unit: the fixed set (description,
 * parent, delegation, the pid, accounting) and the resources systemd has properties for, on v2
 * and on v1. What has no property is written by the fs driver into the unit's cgroup afterwards.
 */
public final class UnitProperties {
    /** USEC_INFINITY / CGROUP_LIMIT_MAX: "no limit" for a uint64 property. */
    static final long INFINITY = -1L;
    private static final long DEFAULT_PERIOD = 100_000;
    /** systemd learnt CPUQuotaPeriodUSec in 242, AllowedCPUs/AllowedMemoryNodes in 244. */
    private static final int PERIOD_SINCE = 242;
    private static final int CPUSET_SINCE = 244;

    private UnitProperties() {}

    /** What runc sets on every unit it starts; {@code pid} -1 for none. */
    public static List<Property> base(UnitPath path, String id, int pid, boolean v2) {
        List<Property> p = new ArrayList<>();
        p.add(Property.of("Description", "s", "libcontainer container " + id));
        if (path.isSlice()) {
            p.add(Property.of("Wants", "as", List.of(path.slice())));
        } else {
            p.add(Property.of("Slice", "s", path.slice()));
            p.add(Property.of("Delegate", "b", true));
        }
        if (pid != -1) {
            p.add(Property.of("PIDs", "au", List.of((long) pid)));
        }
        p.add(Property.of("MemoryAccounting", "b", true));
        p.add(Property.of("CPUAccounting", "b", true));
        p.add(Property.of(v2 ? "IOAccounting" : "BlockIOAccounting", "b", true));
        p.add(Property.of("TasksAccounting", "b", true));
        p.add(Property.of("DefaultDependencies", "b", false));
        return p;
    }

    /** runc's genV2ResourcesProperties. */
    public static List<Property> v2(Resources r, int systemdVersion) throws JruncException {
        List<Property> p = new ArrayList<>();
        if (r == null) {
            return p;
        }
        Memory m = r.memory();
        if (m != null) {
            long limit = nz(m.limit());
            if (limit != 0) {
                p.add(Property.of("MemoryMax", "t", limit));
            }
            if (nz(m.reservation()) != 0) {
                p.add(Property.of("MemoryLow", "t", m.reservation()));
            }
            long swap = nz(m.swap());
            long swapMax = limit == -1 && swap == 0 ? -1 : V2Resources.swapMax(swap, limit);
            // swap == limit is "no swap": 0, as the fs v2 driver writes (runc sets no property,
            // so systemd would put back its default, max, whenever it re-applies the unit)
            if (swapMax != 0 || swap > 0) {
                p.add(Property.of("MemorySwapMax", "t", swapMax));
            }
        }
        Cpu c = r.cpu();
        if (c != null) {
            long weight = V2Resources.cpuWeight(nz(c.shares()));
            if (weight != 0) {
                p.add(Property.of("CPUWeight", "t", weight));
            }
            cpuQuota(p, nz(c.quota()), nz(c.period()), systemdVersion);
            cpuset(p, c.cpus(), c.mems(), systemdVersion);
        }
        pids(p, r);
        if (r.unified() != null) {
            unified(p, r.unified(), systemdVersion);
        }
        return p;
    }

    /**
     * runc's conversion of {@code linux.resources.unified} keys that systemd has a property for
     * (cpu.max, cpu.weight, cpuset.cpus/mems, memory.high/low/min/max/swap.max, pids.max); the
     * other keys have none and are written as files by the fs driver, as every key is. A value
     * that is not a number (or {@code max} where it may be) is refused in runc's words.
     */
    static void unified(List<Property> p, java.util.Map<String, String> unified, int systemdVersion) throws JruncException {
        for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(unified).entrySet()) {
            String key = e.getKey();
            String value = e.getValue().strip();
            switch (key) {
                case "cpu.max" -> {
                    String[] f = value.split("\\s+");
                    if (value.isEmpty() || f.length > 2) {
                        throw new JruncException("unified resource \"" + key + "\" value invalid: \"" + value + "\"");
                    }
                    long quota = f[0].equals("max") ? 0 : number(key, f[0]);
                    long period = f.length == 2 ? number(key, f[1]) : DEFAULT_PERIOD;
                    cpuQuota(p, quota, period, systemdVersion);
                }
                case "cpu.weight" -> p.add(Property.of("CPUWeight", "t", number(key, value)));
                case "cpuset.cpus" -> cpuset(p, value, null, systemdVersion);
                case "cpuset.mems" -> cpuset(p, null, value, systemdVersion);
                case "memory.high", "memory.low", "memory.min", "memory.max", "memory.swap.max" ->
                        p.add(Property.of(MEMORY_PROPERTY.get(key), "t", value.equals("max") ? INFINITY : number(key, value)));
                case "pids.max" -> p.add(Property.of("TasksMax", "t", value.equals("max") ? INFINITY : number(key, value)));
                default -> {
                    // no property: the file is written by the fs driver
                }
            }
        }
    }

    private static final java.util.Map<String, String> MEMORY_PROPERTY = java.util.Map.of("memory.high", "MemoryHigh",
            "memory.low", "MemoryLow", "memory.min", "MemoryMin", "memory.max", "MemoryMax", "memory.swap.max", "MemorySwapMax");

    /** An unsigned decimal of a unified value, else runc's conversion error. */
    private static long number(String key, String text) throws JruncException {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException ex) {
            throw new JruncException("unified resource \"" + key + "\" value conversion error: strconv.ParseUint: parsing \""
                    + text + "\": invalid syntax");
        }
    }

    /** runc's genV1ResourcesProperties (not tested on a v1 systemd host). */
    public static List<Property> v1(Resources r, int systemdVersion) throws JruncException {
        List<Property> p = new ArrayList<>();
        if (r == null) {
            return p;
        }
        if (r.memory() != null && nz(r.memory().limit()) != 0) {
            p.add(Property.of("MemoryLimit", "t", r.memory().limit()));
        }
        Cpu c = r.cpu();
        if (c != null) {
            if (nz(c.shares()) != 0) {
                p.add(Property.of("CPUShares", "t", c.shares()));
            }
            cpuQuota(p, nz(c.quota()), nz(c.period()), systemdVersion);
        }
        if (r.blockIO() != null && r.blockIO().weight() != null && r.blockIO().weight() != 0) {
            p.add(Property.of("BlockIOWeight", "t", (long) r.blockIO().weight()));
        }
        pids(p, r);
        if (c != null) {
            cpuset(p, c.cpus(), c.mems(), systemdVersion);
        }
        return p;
    }

    private static void pids(List<Property> p, Resources r) {
        long limit = r.pids() == null ? 0 : nz(r.pids().limit());
        if (limit > 0 || limit == -1) {
            p.add(Property.of("TasksMax", "t", limit));
        }
    }

    /**
     * runc's addCpuQuota: the period as CPUQuotaPeriodUSec (systemd 242+), the quota as
     * microseconds per second rounded up to a whole percent (systemd keeps a percentage), or
     * infinity when the quota is unlimited.
     */
    static void cpuQuota(List<Property> p, long quota, long period, int systemdVersion) {
        if (period != 0 && systemdVersion >= PERIOD_SINCE) {
            p.add(Property.of("CPUQuotaPeriodUSec", "t", period));
        }
        if (quota == 0 && period == 0) {
            return;
        }
        long perSec = INFINITY;
        if (quota > 0) {
            long per = period == 0 ? DEFAULT_PERIOD : period;
            perSec = Long.divideUnsigned(quota * 1_000_000L, per);
            if (perSec % 10_000 != 0) {
                perSec = (perSec / 10_000 + 1) * 10_000;
            }
        }
        p.add(Property.of("CPUQuotaPerSecUSec", "t", perSec));
    }

    private static void cpuset(List<Property> p, String cpus, String mems, int systemdVersion) throws JruncException {
        if (systemdVersion < CPUSET_SINCE) {
            return;
        }
        if (cpus != null && !cpus.isEmpty()) {
            p.add(Property.of("AllowedCPUs", "ay", bits(cpus)));
        }
        if (mems != null && !mems.isEmpty()) {
            p.add(Property.of("AllowedMemoryNodes", "ay", bits(mems)));
        }
    }

    /**
     * runc's RangeToBits: a cpuset list ({@code 0-3,8}) as the bitmask systemd takes, byte 0
     * holding bits 0-7.
     */
    static byte[] bits(String list) throws JruncException {
        java.util.BitSet set = new java.util.BitSet();
        for (String part : list.split(",")) {
            String r = part.strip();
            if (r.isEmpty()) {
                continue;
            }
            int dash = r.indexOf('-');
            try {
                if (dash >= 0) {
                    int start = Integer.parseInt(r.substring(0, dash));
                    int end = Integer.parseInt(r.substring(dash + 1));
                    if (start < 0 || start > end) {
                        throw new JruncException("invalid range: " + r);
                    }
                    set.set(start, end + 1);
                } else {
                    set.set(Integer.parseInt(r));
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new JruncException("strconv.ParseUint: parsing \"" + r + "\": invalid syntax");
            }
        }
        byte[] b = set.toByteArray();
        if (b.length == 0) {
            throw new JruncException("empty value");
        }
        return b;
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }
}
