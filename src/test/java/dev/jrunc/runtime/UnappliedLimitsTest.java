package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits jrunc does not write yet are named in a warning, never dropped silently. */
class UnappliedLimitsTest {
    private static Resources resources(String json) throws Exception {
        return Json.mapper().readValue(json, Resources.class);
    }

    @Test
    void namesWhatTheHostsCgroupVersionCannotWrite() throws Exception {
        assertEquals(List.of(), ContainerCreator.unappliedLimits(null, false));
        assertEquals(List.of(), ContainerCreator.unappliedLimits(resources("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}"), false));
        // unified on a v1 host is refused before this (ResourcesWriter.validate)
        assertEquals(List.of(), ContainerCreator.unappliedLimits(resources(
                "{\"memory\":{\"limit\":67108864},\"pids\":{\"limit\":10},\"unified\":{\"io.weight\":\"10\"},\"rdma\":{}}"), false));
        assertEquals(List.of("futureLimit"), ContainerCreator.unappliedLimits(resources(
                "{\"cpu\":{\"shares\":2},\"blockIO\":{\"weight\":10},\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":1}],"
                        + "\"network\":{\"classID\":1},\"futureLimit\":1}"), false));
        // device rules are an eBPF program on v2: applied, not named
        assertEquals(List.of("memory.swappiness", "network", "memory.kernel"), ContainerCreator.unappliedLimits(resources(
                "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],\"memory\":{\"limit\":1,\"swappiness\":5,\"kernel\":9},"
                        + "\"network\":{\"classID\":1},\"unified\":{\"memory.high\":\"5\"}}"), true));
    }
}
