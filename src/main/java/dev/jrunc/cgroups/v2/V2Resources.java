package dev.jrunc.cgroups.v2;

import dev.jrunc.JruncException;
import dev.jrunc.spec.model.BlockIo;
import dev.jrunc.spec.model.Cpu;
import dev.jrunc.spec.model.HugepageLimit;
import dev.jrunc.spec.model.Memory;
import dev.jrunc.spec.model.Rdma;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.spec.model.ThrottleDevice;
import dev.jrunc.spec.model.WeightDevice;
import dev.jrunc.cgroups.v1.V1Resources;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code linux.resources} into a container's cgroup v2 directory as runc's
 * libcontainer/cgroups/fs2 does, with its conversions from the v1-shaped spec values (shares to
 * cpu.weight, blkio weight to io.weight, memory+swap to memory.swap.max). Device rules need an
 * eBPF program on v2 and are not written here.
 */
public final class V2Resources {
    private final Path dir;

    public V2Resources(Path dir) {
        this.dir = dir;
    }

    /**
     * Enables every controller the hierarchy has in {@code cgroup.subtree_control} of each
     * level from the mount point down to the container's parent (runc's CreateCgroupPath), so
     * the container's directory gets the controllers' files. A controller a level refuses (for
     * instance one with processes of its own) is skipped, as runc does.
     */
    public static void enableControllers(Path mountPoint, Path leaf) {
        for (Path level = mountPoint; !level.equals(leaf) && leaf.startsWith(level); level = level.resolve(leaf.getName(level.getNameCount()))) {
            String available;
            try {
                available = Files.readString(level.resolve("cgroup.controllers")).trim();
            } catch (IOException e) {
                return;
            }
            for (String c : available.isEmpty() ? new String[0] : available.split("\\s+")) {
                try {
                    Files.writeString(level.resolve("cgroup.subtree_control"), "+" + c);
                } catch (IOException e) {
                    // not enabled here: the container goes without that controller's limits
                }
            }
        }
    }

    public void apply(Resources r) throws JruncException {
        if (r == null) {
            return;
        }
        memory(r.memory());
        pids(r.pids() == null ? null : r.pids().limit());
        cpu(r.cpu());
        cpuset(r.cpu());
        io(r.blockIO());
        hugetlb(r.hugepageLimits());
        rdma(r.rdma());
        unified(r.unified());
    }

    /** runc's numToStr: 0 unset (null), -1 "max", else the number. */
    static String num(Long v) {
        if (v == null || v == 0) {
            return null;
        }
        return v == -1 ? "max" : Long.toString(v);
    }

    /** runc's ConvertMemorySwapToCgroupV2Value: v2's swap.max is the swap alone, v1's memsw is memory + swap. */
    public static long swapMax(long memorySwap, long memory) throws JruncException {
        if (memorySwap == -1 || memorySwap == 0) {
            return memorySwap;
        }
        if (memory == -1 || memory == 0) {
            throw new JruncException("unable to set swap limit without memory limit");
        }
        if (memory < 0) {
            throw new JruncException("invalid memory value: " + memory);
        }
        if (memorySwap < memory) {
            throw new JruncException("memory+swap limit should be >= memory limit");
        }
        return memorySwap - memory;
    }

    /**
     * What memory.swap.max gets (null: left alone): {@link #swapMax} as runc's numToStr, except
     * that a memory+swap equal to the memory limit is 0 (no swap), which runc and crun write;
     * left alone, the container would keep the parent's swap (usually unlimited).
     */
    public static String swapValue(long memorySwap, long memory) throws JruncException {
        long swap = swapMax(memorySwap, memory);
        if (swap == 0 && memorySwap > 0) {
            return "0";
        }
        return num(swap);
    }

    /** runc's ConvertCPUSharesToCgroupV2Value: shares 2..262144 onto weight 1..10000. */
    public static long cpuWeight(long shares) {
        return shares == 0 ? 0 : 1 + ((shares - 2) * 9999) / 262142;
    }

    /** runc's ConvertBlkIOToIOWeightValue: blkio weight 10..1000 onto io.weight 1..10000. */
    public static long ioWeight(long blkioWeight) {
        return blkioWeight == 0 ? 0 : 1 + (blkioWeight - 10) * 9999 / 990;
    }

    /** cpu.max as runc writes it: quota (or "max") then the period when one is given; null when neither is. */
    public static String cpuMax(long quota, long period) {
        if (quota == 0 && period == 0) {
            return null;
        }
        String s = quota > 0 ? Long.toString(quota) : "max";
        return period != 0 ? s + " " + Long.toUnsignedString(period) : s;
    }

    void memory(Memory m) throws JruncException {
        if (m == null) {
            return;
        }
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (limit == -1 && swap == 0) {
            swap = -1;
        }
        String swapValue = swapValue(swap, limit);
        if (swapValue != null) {
            write("memory.swap.max", swapValue);
        }
        String max = num(limit);
        if (max != null) {
            write("memory.max", max);
        }
        String low = num(m.reservation());
        if (low != null) {
            write("memory.low", low);
        }
    }

    void pids(Long limit) throws JruncException {
        if (limit != null) {
            write("pids.max", V1Resources.pidsValue(limit));
        }
    }

    void cpu(Cpu c) throws JruncException {
        if (c == null) {
            return;
        }
        long weight = cpuWeight(c.shares() == null ? 0 : c.shares());
        if (weight != 0) {
            write("cpu.weight", Long.toString(weight));
        }
        if (c.idle() != null) {
            write("cpu.idle", Long.toString(c.idle()));
        }
        String max = cpuMax(c.quota() == null ? 0 : c.quota(), c.period() == null ? 0 : c.period());
        if (max != null) {
            write("cpu.max", max);
        }
        if (c.burst() != null) {
            write("cpu.max.burst", Long.toUnsignedString(c.burst()));
        }
    }

    void cpuset(Cpu c) throws JruncException {
        if (c == null) {
            return;
        }
        if (c.cpus() != null && !c.cpus().isEmpty()) {
            write("cpuset.cpus", c.cpus());
        }
        if (c.mems() != null && !c.mems().isEmpty()) {
            write("cpuset.mems", c.mems());
        }
    }

    /** io.bfq.weight (the blkio value as is) when the kernel has BFQ, else io.weight converted; throttles as io.max lines. */
    void io(BlockIo b) throws JruncException {
        if (b == null) {
            return;
        }
        boolean bfq = Files.exists(dir.resolve("io.bfq.weight"));
        if (b.weight() != null && b.weight() != 0) {
            if (bfq) {
                write("io.bfq.weight", Integer.toString(b.weight()));
            } else {
                write("io.weight", Long.toString(ioWeight(b.weight())));
            }
        }
        if (bfq && b.weightDevice() != null) {
            for (WeightDevice w : b.weightDevice()) {
                if (w.weight() != null) {
                    write("io.bfq.weight", w.major() + ":" + w.minor() + " " + w.weight());
                }
            }
        }
        ioMax("rbps", b.throttleReadBpsDevice());
        ioMax("wbps", b.throttleWriteBpsDevice());
        ioMax("riops", b.throttleReadIOPSDevice());
        ioMax("wiops", b.throttleWriteIOPSDevice());
    }

    private void ioMax(String key, List<ThrottleDevice> list) throws JruncException {
        if (list == null) {
            return;
        }
        for (ThrottleDevice t : list) {
            write("io.max", t.major() + ":" + t.minor() + " " + key + "=" + Long.toUnsignedString(t.rate() == null ? 0 : t.rate()));
        }
    }

    void hugetlb(List<HugepageLimit> limits) throws JruncException {
        if (limits == null) {
            return;
        }
        for (HugepageLimit h : limits) {
            String value = Long.toUnsignedString(h.limit() == null ? 0 : h.limit());
            write("hugetlb." + h.pageSize() + ".max", value);
            if (Files.exists(dir.resolve("hugetlb." + h.pageSize() + ".rsvd.max"))) {
                write("hugetlb." + h.pageSize() + ".rsvd.max", value);
            }
        }
    }

    void rdma(Map<String, Rdma> rdma) throws JruncException {
        if (rdma == null) {
            return;
        }
        for (Map.Entry<String, Rdma> e : rdma.entrySet()) {
            String line = V1Resources.rdmaLine(e.getKey(), e.getValue());
            if (line != null) {
                write("rdma.max", line);
            }
        }
    }

    /** {@code unified}: each key is a file of the container's cgroup (no path separators), written as given. */
    void unified(Map<String, String> unified) throws JruncException {
        if (unified == null) {
            return;
        }
        for (Map.Entry<String, String> e : unified.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.contains("/") || key.equals(".") || key.equals("..")) {
                throw new JruncException("unified resource \"" + key + "\" must be a file name with no path");
            }
            if (!Files.exists(dir.resolve(key))) {
                String controller = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
                throw new JruncException("unified resource \"" + key + "\" can't be set: controller \"" + controller + "\" not available");
            }
            write(key, e.getValue());
        }
    }

    private void write(String file, String value) throws JruncException {
        try {
            Files.writeString(dir.resolve(file), value);
        } catch (IOException e) {
            throw new JruncException("failed to write \"" + value + "\": " + IoErrors.pathError("write", dir.resolve(file), e), e);
        }
    }
}
