package dev.jrunc.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Spec;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SpecModelTest {

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = SpecModelTest.class.getResourceAsStream("/model/" + name)) {
            return Json.mapper().readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spec-example.json", "runc-spec.json", "runc-spec-rootless.json", "crun-spec.json", "future-fields.json"})
    void roundTripKeepsEveryMember(String name) throws IOException {
        JsonNode original = resource(name);
        Spec spec = SpecReader.toSpec(original);
        assertEquals(original, Json.mapper().readTree(Json.mapper().writeValueAsString(spec)));
    }

    @Test
    void readsTypedFields() throws IOException {
        Spec spec = SpecReader.toSpec(resource("spec-example.json"));
        assertEquals("0.5.0-dev", spec.ociVersion());
        assertEquals("rootfs", spec.root().path());
        assertEquals("sh", spec.process().args().get(0));
        assertEquals("RLIMIT_CORE", spec.process().rlimits().get(0).type());
        assertEquals("pid", spec.linux().namespaces().get(0).type());
    }

    @Test
    void uint64KeepsItsUnsignedValue() throws IOException {
        Spec spec = SpecReader.toSpec(resource("future-fields.json"));
        assertEquals(-1L, spec.process().rlimits().get(0).hard());
        assertEquals("18446744073709551615", Long.toUnsignedString(spec.process().rlimits().get(0).hard()));
        assertEquals("x", spec.linux().extra().get("someNewLinuxThing").asText());
        assertEquals(1, spec.extra().get("vendor.example/extension").get("a").asInt());
    }

    @Test
    void uint64RefusesNegativeAndTooLarge() throws IOException {
        JsonNode neg = Json.mapper().readTree("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"hard\":-1,\"soft\":1}]}}");
        assertThrows(Exception.class, () -> SpecReader.toSpec(neg));
        JsonNode big = Json.mapper().readTree("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551616,\"soft\":1}]}}");
        assertThrows(Exception.class, () -> SpecReader.toSpec(big));
    }
}
