package dev.jrunc.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
    /**
     * The deepest nesting of arrays and objects jrunc reads (config.json, process.json,
     * state.json): a runtime-spec config is about ten levels deep; a deeper document is refused
     * while it is parsed, before anything binds or walks it.
     */
    public static final int MAX_DEPTH = 100;

    private static ObjectMapper mapper;

    private Json() {}

    /** Created on first use: commands that read no JSON do not pay for databind. */
    public static synchronized ObjectMapper mapper() {
        if (mapper == null) {
            mapper = JsonMapper.builder(factory())
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .build();
        }
        return mapper;
    }

    /**
     * A streaming factory with jrunc's read limits ({@link #MAX_DEPTH}). Member names are not
     * {@link String#intern}ed: in the native image each intern is a binary search of the image's
     * sorted table of interned strings, whose comparisons touch strings all over the image heap
     * (perf of 30 native {@code delete}s: 3.6% of their time in it, reading one state.json).
     */
    public static JsonFactory factory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /**
     * Why a document could not be parsed, in plain words: a read limit says which limit (Jackson's
     * own text names its Java method), anything else is the parser's message with its location.
     */
    public static String describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.startsWith("Document nesting depth")) {
                return "JSON nested too deep (more than " + MAX_DEPTH + " levels)";
            }
            if (m.startsWith("Number value length")) {
                return "not valid JSON: a number too long (more than "
                        + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " digits)";
            }
            int cut = m.indexOf(" (");
            return "not valid JSON: " + (cut > 0 ? m.substring(0, cut) : m);
        }
        String at = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return "not valid JSON: " + String.valueOf(e.getOriginalMessage()) + at;
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
