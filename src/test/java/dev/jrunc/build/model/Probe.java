package dev.jrunc.build.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A test-only JSON model (its package ends in {@code model}, so {@code ModelReflectionFeature}
 * registers it) using what jrunc's real models use: records, nested records, an enum with
 * renamed constants, lists, maps, renamed components, omitted nulls, a custom deserializer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Probe(
        String name,
        Kind kind,
        List<Item> items,
        Map<String, String> labels,
        @JsonProperty("fileMode") Integer mode,
        @JsonDeserialize(using = Hex.class) Long mask,
        String absent) {

    public enum Kind {
        @JsonProperty("bind") BIND,
        @JsonProperty("tmpfs") TMPFS
    }

    public record Item(int n, Nested nested) {
        public record Nested(boolean on, List<String> tags) {}
    }

    /** Reads a hex string ("0x1f") or a number. */
    public static final class Hex extends StdDeserializer<Long> {
        private static final long serialVersionUID = 1L;

        public Hex() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        }
    }
}
