package dev.jrunc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.JruncException;
import dev.jrunc.cgroups.ResourcesUpdate;
import dev.jrunc.json.Json;
import dev.jrunc.json.JsonFile;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jrunc update [-r FILE|-] [flags] ID}, as runc's: with {@code -r} the resources come
 * from the JSON (the flags are then ignored), else from the flags; an absent or zero value
 * leaves that limit as it is.
 */
@Command(name = "update", description = "update container resource constraints")
final class UpdateCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Option(names = {"-r", "--resources"}, description = "path to a file containing the resources to update or '-' to read from the standard input")
    String resources;

    @Option(names = "--blkio-weight", description = "Specifies per cgroup weight, range is from 10 to 1000")
    String blkioWeight;

    @Option(names = "--cpu-period", description = "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default")
    String cpuPeriod;

    @Option(names = "--cpu-quota", description = "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period")
    String cpuQuota;

    @Option(names = {"--cpu-share", "--cpu-shares"}, description = "CPU shares (relative weight vs. other containers)")
    String cpuShare;

    @Option(names = "--cpu-rt-period", description = "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default")
    String cpuRtPeriod;

    @Option(names = "--cpu-rt-runtime", description = "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period")
    String cpuRtRuntime;

    @Option(names = "--cpuset-cpus", description = "CPU(s) to use")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", description = "Memory node(s) to use")
    String cpusetMems;

    @Option(names = "--kernel-memory", description = "(obsoleted; do not use)")
    String kernelMemory;

    @Option(names = "--kernel-memory-tcp", description = "(obsoleted; do not use)")
    String kernelMemoryTcp;

    @Option(names = "--memory", description = "Memory limit (in bytes)")
    String memory;

    @Option(names = "--memory-reservation", description = "Memory reservation or soft_limit (in bytes)")
    String memoryReservation;

    @Option(names = "--memory-swap", description = "Total memory usage (memory + swap); set '-1' to enable unlimited swap")
    String memorySwap;

    @Option(names = "--pids-limit", description = "Maximum number of pids allowed in the container")
    String pidsLimit;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        parent.jrunc().update(id, changes());
        return 0;
    }

    /**
     * What runc's update takes from the JSON: memory (limit, reservation, swap, kernelTCP;
     * kernel is ignored), cpu, pids, blockIO's weight and unified; the rest (devices, hugepage
     * limits, network, rdma, blkio throttles) is ignored, as runc ignores it.
     */
    static ObjectNode updatable(com.fasterxml.jackson.databind.JsonNode in) throws JruncException {
        if (in == null || !in.isObject()) {
            throw new JruncException("invalid resources: not a JSON object");
        }
        ObjectNode out = Json.mapper().createObjectNode();
        if (in.get("memory") instanceof ObjectNode m) {
            ObjectNode mem = out.putObject("memory");
            for (String k : new String[] {"limit", "reservation", "swap", "kernelTCP"}) {
                if (m.has(k)) mem.set(k, m.get(k));
            }
        }
        for (String k : new String[] {"cpu", "pids", "unified"}) {
            if (in.has(k)) out.set(k, in.get(k));
        }
        if (in.get("blockIO") instanceof ObjectNode b && b.has("weight")) {
            out.putObject("blockIO").set("weight", b.get("weight"));
        }
        return out;
    }

    Resources changes() throws JruncException {
        if (resources != null && !resources.isEmpty()) {
            try {
                byte[] json = resources.equals("-") ? JsonFile.bounded(System.in) : JsonFile.read(Path.of(resources));
                return Json.mapper().treeToValue(updatable(Json.mapper().readTree(json)), Resources.class);
            } catch (IOException e) {
                throw new JruncException("cannot read resources from " + resources + ": " + IoErrors.reason(e), e);
            }
        }
        ObjectNode r = Json.mapper().createObjectNode();
        ObjectNode mem = r.putObject("memory");
        ObjectNode cpu = r.putObject("cpu");
        if (blkioWeight != null) {
            long w = ResourcesUpdate.unsigned("blkio-weight", blkioWeight);
            if (w != 0) {
                r.putObject("blockIO").put("weight", w);
            }
        }
        if (cpusetCpus != null && !cpusetCpus.isEmpty()) cpu.put("cpus", cpusetCpus);
        if (cpusetMems != null && !cpusetMems.isEmpty()) cpu.put("mems", cpusetMems);
        if (cpuPeriod != null) cpu.put("period", ResourcesUpdate.unsigned("cpu-period", cpuPeriod));
        if (cpuRtPeriod != null) cpu.put("realtimePeriod", ResourcesUpdate.unsigned("cpu-rt-period", cpuRtPeriod));
        if (cpuShare != null) cpu.put("shares", ResourcesUpdate.unsigned("cpu-share", cpuShare));
        if (cpuQuota != null) cpu.put("quota", ResourcesUpdate.signed("cpu-quota", cpuQuota));
        if (cpuRtRuntime != null) cpu.put("realtimeRuntime", ResourcesUpdate.signed("cpu-rt-runtime", cpuRtRuntime));
        if (memory != null) mem.put("limit", ResourcesUpdate.ramInBytes("memory", memory));
        if (memoryReservation != null) mem.put("reservation", ResourcesUpdate.ramInBytes("memory-reservation", memoryReservation));
        if (memorySwap != null) mem.put("swap", ResourcesUpdate.ramInBytes("memory-swap", memorySwap));
        if (kernelMemoryTcp != null) mem.put("kernelTCP", ResourcesUpdate.ramInBytes("kernel-memory-tcp", kernelMemoryTcp));
        if (kernelMemory != null) {
            ResourcesUpdate.ramInBytes("kernel-memory", kernelMemory);
            parent.jrunc().options().logger().warn("Kernel memory settings are ignored and will be removed");
        }
        if (pidsLimit != null) {
            long limit = ResourcesUpdate.signed("pids-limit", pidsLimit);
            if (limit != 0) {
                r.putObject("pids").put("limit", limit);
            }
        }
        if (mem.isEmpty()) r.remove("memory");
        if (cpu.isEmpty()) r.remove("cpu");
        try {
            return Json.mapper().treeToValue(r, Resources.class);
        } catch (IOException e) {
            throw new JruncException(IoErrors.message(e), e);
        }
    }
}
