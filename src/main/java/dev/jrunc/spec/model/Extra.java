package dev.jrunc.spec.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members of a JSON object that the model does not name (a later spec version's fields,
 * vendor extensions): every model record keeps them in an {@code extra} component so that a
 * document survives a read/write round trip unchanged.
 */
public final class Extra {
    private Extra() {}

    public static Map<String, JsonNode> of(Map<String, JsonNode> members) {
        if (members == null || members.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }
}
