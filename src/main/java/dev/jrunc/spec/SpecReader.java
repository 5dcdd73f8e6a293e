package dev.jrunc.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Spec;

/** Binds a config.json tree to the {@link Spec} model. */
public final class SpecReader {
    private SpecReader() {}

    public static Spec toSpec(JsonNode document) throws JsonProcessingException {
        return Json.mapper().treeToValue(document, Spec.class);
    }
}
