package dev.jrunc.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson mapper of jrunc (spec model, state files, command output): records bound by
 * their canonical constructors, unknown members kept (see {@code Extra}), absent members left
 * out when written.
 */
public final class Json {
    private static ObjectMapper mapper;

    private Json() {}

    /** Created on first use: commands that read no JSON do not pay for databind. */
    public static synchronized ObjectMapper mapper() {
        if (mapper == null) {
            mapper = JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .build();
        }
        return mapper;
    }

    /** Tab-indented like runc's {@code spec} output. */
    public static String pretty(Object value) {
        return indented(value, "\t");
    }

    /**
     * Indented as Go's {@code json.MarshalIndent} writes: {@code "key": value}, empty arrays and
     * objects as {@code []} and {@code {}}, no trailing newline.
     */
    public static String indented(Object value, String indent) {
        DefaultPrettyPrinter printer = new GoPrettyPrinter(indent);
        try {
            return mapper().writer(printer).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
