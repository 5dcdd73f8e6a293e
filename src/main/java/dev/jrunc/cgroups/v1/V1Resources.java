package dev.jrunc.cgroups.v1;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.DeviceEmulator;
import dev.jrunc.cgroups.DeviceRules;
import dev.jrunc.spec.model.BlockIo;
import dev.jrunc.spec.model.Cpu;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.DeviceRule;
import dev.jrunc.spec.model.HugepageLimit;
import dev.jrunc.spec.model.InterfacePriority;
import dev.jrunc.spec.model.Memory;
import dev.jrunc.spec.model.Network;
import dev.jrunc.spec.model.Rdma;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.spec.model.ThrottleDevice;
import dev.jrunc.spec.model.WeightDevice;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code linux.resources} into a container's cgroup v1 directories, file by file as
 * runc's libcontainer/cgroups/fs does (same files, same order of controllers: cpuset, devices,
 * memory, cpu, pids, blkio, hugetlb, net_cls, net_prio, rdma; same value conversions). A zero
 * or absent value leaves the file alone (runc's "0 means unset"), which is what {@code update}
 * relies on. A controller that is not mounted is skipped, as runc does.
 */
public final class V1Resources {
    private final Map<String, Path> dirs;

    /** @param dirs the container's directory per hierarchy key ({@code cpu,cpuacct}, {@code memory}, ...) */
    public V1Resources(Map<String, Path> dirs) {
        this.dirs = dirs;
    }

    /** The directory of a controller, or null when no mounted hierarchy has it. */
    Path dir(String controller) {
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            if (!e.getKey().equals("unified") && List.of(e.getKey().split(",")).contains(controller)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Applies everything the resources name. {@code devices} are the config's
     * {@code linux.devices} (allowed too, as runc does); null at {@code update}, which leaves the
     * device rules alone.
     */
    public void apply(Resources r, List<Device> devices) throws JruncException {
        if (r != null) {
            cpuset(r.cpu());
        }
        if (devices != null) {
            // runc restricts devices even for a config without linux.resources
            devices(r == null ? null : r.devices(), devices);
        }
        if (r == null) {
            return;
        }
        memory(r.memory());
        cpu(r.cpu());
        pids(r.pids() == null ? null : r.pids().limit());
        blkio(r.blockIO());
        hugetlb(r.hugepageLimits());
        network(r.network());
        rdma(r.rdma());
    }

    void cpuset(Cpu c) throws JruncException {
        Path d = dir("cpuset");
        if (c == null || d == null) {
            return;
        }
        if (c.cpus() != null && !c.cpus().isEmpty()) {
            write(d, "cpuset.cpus", c.cpus());
        }
        if (c.mems() != null && !c.mems().isEmpty()) {
            write(d, "cpuset.mems", c.mems());
        }
    }

    /**
     * runc's rules on a new cgroup (which allows everything): what {@link DeviceEmulator} makes
     * of the container's rules ({@link DeviceRules#effective}: the config's, runc's default allow
     * list, the config's {@code linux.devices}), written as runc's transition: the default as
     * {@code a} into devices.deny (or devices.allow), then each exception into the other file.
     */
    void devices(List<DeviceRule> rules, List<Device> devices) throws JruncException {
        Path d = dir("devices");
        if (d == null) {
            return;
        }
        for (DeviceRules.Rule rule : deviceWrites(rules, devices)) {
            write(d, rule.allow() ? "devices.allow" : "devices.deny", rule.text());
        }
    }

    /** The writes {@link #devices} makes, in order. */
    public static List<DeviceRules.Rule> deviceWrites(List<DeviceRule> rules, List<Device> devices) throws JruncException {
        return DeviceEmulator.of(DeviceRules.effective(rules, devices)).transition();
    }

    /**
     * runc's setMemoryAndSwap: with both a limit and a swap limit, memsw is written first when
     * it grows (swap -1 or above the current limit), else the limit first, because the kernel
     * wants limit <= memsw at every moment. A limit of -1 without swap makes swap -1 too.
     */
    void memory(Memory m) throws JruncException {
        Path d = dir("memory");
        if (m == null || d == null) {
            return;
        }
        long limit = zero(m.limit());
        long swap = zero(m.swap());
        if (limit == -1 && swap == 0) {
            swap = -1;
        }
        if (limit != 0 && swap != 0) {
            long current = readLong(d, "memory.limit_in_bytes");
            if (swap == -1 || current < swap) {
                write(d, "memory.memsw.limit_in_bytes", Long.toString(swap));
                writeLimit(d, limit);
            } else {
                writeLimit(d, limit);
                write(d, "memory.memsw.limit_in_bytes", Long.toString(swap));
            }
        } else {
            if (limit != 0) {
                writeLimit(d, limit);
            }
            if (swap != 0) {
                write(d, "memory.memsw.limit_in_bytes", Long.toString(swap));
            }
        }
        if (zero(m.kernelTCP()) != 0) {
            write(d, "memory.kmem.tcp.limit_in_bytes", Long.toString(m.kernelTCP()));
        }
        if (zero(m.reservation()) != 0) {
            write(d, "memory.soft_limit_in_bytes", Long.toString(m.reservation()));
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            write(d, "memory.oom_control", "1");
        }
        if (m.swappiness() != null) {
            long s = m.swappiness();
            if (s < 0 || s > 100) {
                throw new JruncException("invalid value:" + Long.toUnsignedString(s) + ". valid memory swappiness range is 0-100");
            }
            write(d, "memory.swappiness", Long.toString(s));
        }
    }

    private void writeLimit(Path d, long limit) throws JruncException {
        try {
            Files.writeString(d.resolve("memory.limit_in_bytes"), Long.toString(limit));
        } catch (IOException e) {
            if (IoErrors.reason(e).equals("device or resource busy")) {
                // runc's words when the new limit is below what the cgroup already uses
                throw new JruncException("unable to set memory limit to " + limit + " (current usage: "
                        + readLong(d, "memory.usage_in_bytes") + ", peak usage: " + readLong(d, "memory.max_usage_in_bytes") + ")", e);
            }
            throw failed(d.resolve("memory.limit_in_bytes"), Long.toString(limit), e);
        }
    }

    /** runc's order: realtime period and runtime, shares (checked by reading back), period, quota, burst, idle. */
    void cpu(Cpu c) throws JruncException {
        Path d = dir("cpu");
        if (c == null || d == null) {
            return;
        }
        if (zero(c.realtimePeriod()) != 0) {
            write(d, "cpu.rt_period_us", Long.toUnsignedString(c.realtimePeriod()));
        }
        if (zero(c.realtimeRuntime()) != 0) {
            write(d, "cpu.rt_runtime_us", Long.toString(c.realtimeRuntime()));
        }
        if (zero(c.shares()) != 0) {
            String shares = Long.toUnsignedString(c.shares());
            write(d, "cpu.shares", shares);
            long got = readLong(d, "cpu.shares");
            if (Long.compareUnsigned(c.shares(), got) > 0) {
                throw new JruncException("the maximum allowed cpu-shares is " + got);
            } else if (Long.compareUnsigned(c.shares(), got) < 0) {
                throw new JruncException("the minimum allowed cpu-shares is " + got);
            }
        }
        String retryPeriod = null;
        if (zero(c.period()) != 0) {
            String period = Long.toUnsignedString(c.period());
            try {
                write(d, "cpu.cfs_period_us", period);
            } catch (JruncException e) {
                // runc: a period smaller than the current one can be refused (EINVAL) until the
                // new quota is in; with a quota to write, try the period again after it
                if (zero(c.quota()) == 0 || !String.valueOf(e.getMessage()).endsWith("invalid argument")) {
                    throw e;
                }
                retryPeriod = period;
            }
        }
        if (zero(c.quota()) != 0) {
            write(d, "cpu.cfs_quota_us", Long.toString(c.quota()));
            if (retryPeriod != null) {
                write(d, "cpu.cfs_period_us", retryPeriod);
            }
        }
        if (zero(c.burst()) != 0) {
            write(d, "cpu.cfs_burst_us", Long.toUnsignedString(c.burst()));
        }
        if (c.idle() != null && Files.exists(d.resolve("cpu.idle"))) {
            write(d, "cpu.idle", Long.toString(c.idle()));
        }
    }

    /** pids.max: a positive limit as is, 0 or -1 as "max" (runc turns the spec's 0 into -1). */
    void pids(Long limit) throws JruncException {
        Path d = dir("pids");
        if (limit == null || d == null) {
            return;
        }
        write(d, "pids.max", pidsValue(limit));
    }

    public static String pidsValue(long limit) {
        return limit > 0 ? Long.toString(limit) : "max";
    }

    /** blkio.weight (blkio.bfq.weight when the kernel has only BFQ), leaf weight, per-device weights and throttles. */
    void blkio(BlockIo b) throws JruncException {
        Path d = dir("blkio");
        if (b == null || d == null) {
            return;
        }
        if (b.weight() != null && b.weight() != 0) {
            String file = !Files.exists(d.resolve("blkio.weight")) && Files.exists(d.resolve("blkio.bfq.weight"))
                    ? "blkio.bfq.weight" : "blkio.weight";
            write(d, file, Integer.toString(b.weight()));
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            write(d, "blkio.leaf_weight", Integer.toString(b.leafWeight()));
        }
        if (b.weightDevice() != null) {
            for (WeightDevice w : b.weightDevice()) {
                if (w.weight() != null) {
                    write(d, "blkio.weight_device", w.major() + ":" + w.minor() + " " + w.weight());
                }
                if (w.leafWeight() != null) {
                    write(d, "blkio.leaf_weight_device", w.major() + ":" + w.minor() + " " + w.leafWeight());
                }
            }
        }
        throttle(d, "blkio.throttle.read_bps_device", b.throttleReadBpsDevice());
        throttle(d, "blkio.throttle.write_bps_device", b.throttleWriteBpsDevice());
        throttle(d, "blkio.throttle.read_iops_device", b.throttleReadIOPSDevice());
        throttle(d, "blkio.throttle.write_iops_device", b.throttleWriteIOPSDevice());
    }

    private void throttle(Path d, String file, List<ThrottleDevice> list) throws JruncException {
        if (list == null) {
            return;
        }
        for (ThrottleDevice t : list) {
            write(d, file, t.major() + ":" + t.minor() + " " + Long.toUnsignedString(zero(t.rate())));
        }
    }

    /** hugetlb.&lt;size&gt;.limit_in_bytes (and the .rsvd. file when the kernel has it, as runc). */
    void hugetlb(List<HugepageLimit> limits) throws JruncException {
        Path d = dir("hugetlb");
        if (limits == null || d == null) {
            return;
        }
        for (HugepageLimit h : limits) {
            String value = Long.toUnsignedString(zero(h.limit()));
            write(d, "hugetlb." + h.pageSize() + ".limit_in_bytes", value);
            if (Files.exists(d.resolve("hugetlb." + h.pageSize() + ".rsvd.limit_in_bytes"))) {
                write(d, "hugetlb." + h.pageSize() + ".rsvd.limit_in_bytes", value);
            }
        }
    }

    void network(Network n) throws JruncException {
        if (n == null) {
            return;
        }
        Path cls = dir("net_cls");
        if (n.classID() != null && n.classID() != 0 && cls != null) {
            write(cls, "net_cls.classid", Long.toUnsignedString(n.classID()));
        }
        Path prio = dir("net_prio");
        if (n.priorities() != null && prio != null) {
            for (InterfacePriority p : n.priorities()) {
                write(prio, "net_prio.ifpriomap", p.name() + " " + p.priority());
            }
        }
    }

    /** rdma.max: one line per device, {@code dev hca_handle=N hca_object=M} (a missing one left out). */
    void rdma(Map<String, Rdma> rdma) throws JruncException {
        Path d = dir("rdma");
        if (rdma == null || d == null) {
            return;
        }
        for (Map.Entry<String, Rdma> e : rdma.entrySet()) {
            String line = rdmaLine(e.getKey(), e.getValue());
            if (line != null) {
                write(d, "rdma.max", line);
            }
        }
    }

    public static String rdmaLine(String device, Rdma r) {
        StringBuilder s = new StringBuilder(device);
        if (r.hcaHandles() != null) {
            s.append(" hca_handle=").append(r.hcaHandles());
        }
        if (r.hcaObjects() != null) {
            s.append(" hca_object=").append(r.hcaObjects());
        }
        return s.length() == device.length() ? null : s.toString();
    }

    private static long zero(Long v) {
        return v == null ? 0 : v;
    }

    private static long readLong(Path d, String file) throws JruncException {
        try {
            return Long.parseUnsignedLong(Files.readString(d.resolve(file)).trim());
        } catch (IOException | NumberFormatException e) {
            throw new JruncException("failed to read " + d.resolve(file) + ": " + IoErrors.reason(e), e);
        }
    }

    /** Writes one value; failures in runc's words: {@code failed to write "V": write FILE: reason}. */
    static void write(Path dir, String file, String value) throws JruncException {
        try {
            Files.writeString(dir.resolve(file), value);
        } catch (IOException e) {
            throw failed(dir.resolve(file), value, e);
        }
    }

    private static JruncException failed(Path file, String value, IOException e) {
        String op = e instanceof java.nio.file.NoSuchFileException ? "open" : "write";
        return new JruncException("failed to write \"" + value + "\": " + IoErrors.pathError(op, file, e), e);
    }
}
