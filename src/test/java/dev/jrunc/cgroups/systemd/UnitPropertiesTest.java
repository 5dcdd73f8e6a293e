package dev.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import dev.jrunc.spec.model.BlockIo;
import dev.jrunc.spec.model.Cpu;
import dev.jrunc.spec.model.Memory;
import dev.jrunc.spec.model.Pids;
import dev.jrunc.spec.model.Resources;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UnitPropertiesTest {
    static Resources res(Memory m, Cpu c, Pids p) {
        return new Resources(null, m, c, p, null, null, null, null, null, null);
    }

    static Memory mem(Long limit, Long reservation, Long swap) {
        return new Memory(limit, reservation, swap, null, null, null, null, null, null, null);
    }

    static Cpu cpu(Long shares, Long quota, Long period, String cpus, String mems) {
        return new Cpu(shares, quota, null, period, null, null, cpus, mems, null, null);
    }

    static String show(List<Property> p) {
        return p.stream().map(Property::toString).collect(Collectors.joining(" "));
    }

    @Test
    void runcsFixedSet() throws JruncException {
        UnitPath path = UnitPath.parse("system.slice:jrunc-test:c1", "c1", false);
        assertEquals("Description=libcontainer container c1 Slice=system.slice Delegate=true PIDs=[42] "
                + "MemoryAccounting=true CPUAccounting=true IOAccounting=true TasksAccounting=true DefaultDependencies=false",
                show(UnitProperties.base(path, "c1", 42, true)));
        UnitPath slice = UnitPath.parse("system.slice:x:pod.slice", "c1", false);
        assertEquals("Description=libcontainer container c1 Wants=[system.slice] "
                + "MemoryAccounting=true CPUAccounting=true BlockIOAccounting=true TasksAccounting=true DefaultDependencies=false",
                show(UnitProperties.base(slice, "c1", -1, false)));
    }

    @Test
    void v2AsRuncMapsThem() throws JruncException {
        // values and results as runc's genV2ResourcesProperties gives them
        Resources r = res(mem(268435456L, 134217728L, 536870912L), cpu(1024L, 50000L, 100000L, "0-1", "0"), new Pids(100L, null));
        assertEquals("MemoryMax=268435456 MemoryLow=134217728 MemorySwapMax=268435456 CPUWeight=39 "
                + "CPUQuotaPeriodUSec=100000 CPUQuotaPerSecUSec=500000 AllowedCPUs=03 AllowedMemoryNodes=01 TasksMax=100",
                show(UnitProperties.v2(r, 252)));
    }

    @Test
    void swapEqualToTheLimitIsNoSwap() throws JruncException {
        assertEquals("MemoryMax=1048576 MemorySwapMax=0", show(UnitProperties.v2(res(mem(1048576L, null, 1048576L), null, null), 252)));
        // unlimited memory without swap: both unlimited (runc's ConvertMemorySwapToCgroupV2Value)
        assertEquals("MemoryMax=-1 MemorySwapMax=-1", show(UnitProperties.v2(res(mem(-1L, null, null), null, null), 252)));
        assertThrows(JruncException.class, () -> UnitProperties.v2(res(mem(100L, null, 50L), null, null), 252));
    }

    @Test
    void quotaRoundsUpToAPercentAndUnlimitedIsInfinity() throws JruncException {
        // 12345 us per 100000 us = 123450 us/s, up to 130000 (systemd keeps whole percents)
        assertEquals("CPUQuotaPeriodUSec=100000 CPUQuotaPerSecUSec=130000",
                show(UnitProperties.v2(res(null, cpu(null, 12345L, 100000L, null, null), null), 252)));
        assertEquals("CPUQuotaPerSecUSec=2000000", show(UnitProperties.v2(res(null, cpu(null, 200000L, null, null, null), null), 252)));
        assertEquals("CPUQuotaPeriodUSec=50000 CPUQuotaPerSecUSec=-1",
                show(UnitProperties.v2(res(null, cpu(null, -1L, 50000L, null, null), null), 252)));
        // before 242 no period property, before 244 no cpuset
        assertEquals("CPUQuotaPerSecUSec=500000", show(UnitProperties.v2(res(null, cpu(null, 50000L, 100000L, "0", null), null), 241)));
    }

    @Test
    void sharesToWeightAsRunc() throws JruncException {
        // runc's ConvertCPUSharesToCgroupV2Value: 2 -> 1, 262144 -> 10000, 1024 -> 39
        assertEquals("CPUWeight=1", show(UnitProperties.v2(res(null, cpu(2L, null, null, null, null), null), 252)));
        assertEquals("CPUWeight=10000", show(UnitProperties.v2(res(null, cpu(262144L, null, null, null, null), null), 252)));
    }

    @Test
    void tasksMaxOnlyForALimitOrUnlimited() throws JruncException {
        assertEquals("TasksMax=-1", show(UnitProperties.v2(res(null, null, new Pids(-1L, null)), 252)));
        assertEquals("", show(UnitProperties.v2(res(null, null, new Pids(0L, null)), 252)));
    }

    @Test
    void v1Names() throws JruncException {
        Resources r = new Resources(null, mem(1048576L, null, null), cpu(512L, null, null, null, null), new Pids(10L, null),
                new BlockIo(300, null, null, null, null, null, null, null), null, null, null, null, null);
        assertEquals("MemoryLimit=1048576 CPUShares=512 BlockIOWeight=300 TasksMax=10", show(UnitProperties.v1(r, 252)));
    }

    @Test
    void cpusetBitsAsRuncsRangeToBits() throws JruncException {
        assertArrayEquals(new byte[] {0x0f}, UnitProperties.bits("0-3"));
        assertArrayEquals(new byte[] {0x01, 0x01}, UnitProperties.bits("0,8"));
        assertArrayEquals(new byte[] {0x06}, UnitProperties.bits(" 1 ,2,,"));
        assertEquals("invalid range: 3-1", assertThrows(JruncException.class, () -> UnitProperties.bits("3-1")).getMessage());
        assertEquals("empty value", assertThrows(JruncException.class, () -> UnitProperties.bits(",")).getMessage());
    }

    @Test
    void unifiedKeysWithAPropertyBecomeIt() throws JruncException {
        Resources r = new Resources(null, null, null, null, null, null, null, null, java.util.Map.of(
                "cpu.max", "max 200000", "cpu.weight", "50", "cpuset.cpus", "0-1", "memory.high", "1000000",
                "memory.swap.max", "max", "pids.max", "7", "io.weight", "default 100", "memory.oom.group", "1"), null);
        // in key order; io.weight and memory.oom.group have no property (written as files)
        assertEquals("CPUQuotaPeriodUSec=200000 CPUQuotaPerSecUSec=-1 CPUWeight=50 AllowedCPUs=03 MemoryHigh=1000000 "
                + "MemorySwapMax=-1 TasksMax=7", show(UnitProperties.v2(r, 252)));
    }

    @Test
    void unifiedValueThatIsNoNumberIsRefusedInRuncsWords() {
        Resources r = new Resources(null, null, null, null, null, null, null, null, java.util.Map.of("pids.max", "lots"), null);
        JruncException e = assertThrows(JruncException.class, () -> UnitProperties.v2(r, 252));
        assertEquals("unified resource \"pids.max\" value conversion error: strconv.ParseUint: parsing \"lots\": invalid syntax",
                e.getMessage());
        Resources bad = new Resources(null, null, null, null, null, null, null, null, java.util.Map.of("cpu.max", "1 2 3"), null);
        assertEquals("unified resource \"cpu.max\" value invalid: \"1 2 3\"",
                assertThrows(JruncException.class, () -> UnitProperties.v2(bad, 252)).getMessage());
    }
}
