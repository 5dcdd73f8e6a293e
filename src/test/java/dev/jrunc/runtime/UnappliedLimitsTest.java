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
    void namesOnlyUnifiedAndUnknownLimits() throws Exception {
        assertEquals(List.of(), ContainerCreator.unappliedLimits(null));
        assertEquals(List.of(), ContainerCreator.unappliedLimits(resources("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}")));
        assertEquals(List.of("unified"), ContainerCreator.unappliedLimits(resources(
                "{\"memory\":{\"limit\":67108864},\"pids\":{\"limit\":10},\"unified\":{\"io.weight\":\"10\"},\"rdma\":{}}")));
        assertEquals(List.of("futureLimit"), ContainerCreator.unappliedLimits(resources(
                "{\"cpu\":{\"shares\":2},\"blockIO\":{\"weight\":10},\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":1}],"
                        + "\"network\":{\"classID\":1},\"futureLimit\":1}")));
    }
}
