package dev.jrunc.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code spec --rootless} against runc 1.1.5's {@code runc spec --rootless} (run as root: hostID 0), member order included. */
class SpecGeneratorRootlessTest {

    @Test
    void rootlessSpecIsRuncsApartFromTheDefaultSpecsDeliberateDifferences() throws IOException {
        JsonNode runc = SpecModelTest.resource("runc-spec-rootless.json");
        ObjectNode jrunc = SpecGenerator.rootlessSpec(0, 0);
        // the differences jrunc's default spec has too: its spec version and hostname, and what
        // runc added after 1.1 (a cgroup namespace, /sys/devices/virtual/powercap masked)
        jrunc.put("ociVersion", runc.get("ociVersion").asText());
        jrunc.put("hostname", "runc");
        ObjectNode linux = (ObjectNode) jrunc.get("linux");
        removeWhere((ArrayNode) linux.get("namespaces"), n -> n.get("type").asText().equals("cgroup"));
        removeWhere((ArrayNode) linux.get("maskedPaths"), n -> n.asText().equals("/sys/devices/virtual/powercap"));
        assertEquals(runc.toString(), jrunc.toString());
    }

    @Test
    void mappingsAreTheCallersIdsAndComeFirst() {
        ObjectNode spec = SpecGenerator.rootlessSpec(1234, 5678);
        List<String> keys = new ArrayList<>();
        spec.get("linux").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("uidMappings", "gidMappings"), keys.subList(0, 2));
        assertEquals("[{\"containerID\":0,\"hostID\":1234,\"size\":1}]", spec.get("linux").get("uidMappings").toString());
        assertEquals("[{\"containerID\":0,\"hostID\":5678,\"size\":1}]", spec.get("linux").get("gidMappings").toString());
    }

    private static void removeWhere(ArrayNode array, java.util.function.Predicate<JsonNode> p) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (p.test(array.get(i))) {
                array.remove(i);
            }
        }
    }
}
