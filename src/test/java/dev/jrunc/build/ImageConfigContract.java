package dev.jrunc.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.jrunc.build.model.Probe;
import dev.jrunc.sys.SyscallsContract.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The native image is configured as the JVM needs no configuration for: run by
 * {@code ImageConfigContractTest} on the JVM and, through {@code NativeContractMain}, inside the
 * native image (built with the same options as {@code target/jrunc}).
 * <ul>
 *   <li>Jackson binds a {@code *.model} record exactly as on the JVM: {@link ModelReflectionFeature}
 *       registers what it needs (without the feature both Jackson checks fail in the image);
 *   <li>SLF4J (the schema validator's logger) runs on its silent provider and prints nothing
 *       (the native test also requires an empty stderr);
 *   <li>the schema validator reports full messages: its message bundles and meta-schemas are in
 *       the image (without them messages shrink to bare keywords).
 * </ul>
 */
public final class ImageConfigContract {
    static final String JSON = "{\"name\":\"probe\",\"kind\":\"tmpfs\",\"items\":[{\"n\":1,\"nested\":"
            + "{\"on\":true,\"tags\":[\"a\",\"b\"]}}],\"labels\":{\"k\":\"v\"},\"fileMode\":420,\"mask\":\"0x1f\"}";
    static final String WRITTEN = JSON.replace("\"0x1f\"", "31");
    static final Probe VALUE = new Probe("probe", Probe.Kind.TMPFS,
            List.of(new Probe.Item(1, new Probe.Item.Nested(true, List.of("a", "b")))),
            Map.of("k", "v"), 420, 31L, null);
    static final String SCHEMA = "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"object\","
            + "\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"array\",\"minItems\":1}},\"required\":[\"c\"]}";
    static final String DOCUMENT = "{\"a\":1,\"b\":[]}";
    static final List<String> VIOLATIONS = List.of(
            "/a: integer found, string expected",
            "/b: must have at least 1 items but found 0",
            ": required property 'c' not found");

    private ImageConfigContract() {}

    private static Map<String, Callable<String>> checks() {
        Map<String, Callable<String>> checks = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        checks.put("jackson reads a model record", () -> {
            Probe read = mapper.readValue(JSON, Probe.class);
            expect(VALUE, read);
            return read.toString();
        });
        checks.put("jackson writes a model record", () -> {
            String written = mapper.writeValueAsString(VALUE);
            expect(WRITTEN, written);
            return written;
        });
        checks.put("slf4j runs on its silent provider", () -> {
            String factory = org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName();
            expect("org.slf4j.helpers.NOPLoggerFactory", factory);
            org.slf4j.LoggerFactory.getLogger(ImageConfigContract.class).warn("must not be printed");
            return factory;
        });
        checks.put("schema validator reports full messages", () -> {
            var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(SCHEMA);
            List<String> messages = schema.validate(mapper.readTree(DOCUMENT)).stream().map(Error::toString).toList();
            expect(VIOLATIONS, messages);
            return String.join("; ", messages);
        });
        return checks;
    }

    public static List<Result> run() {
        List<Result> results = new ArrayList<>();
        checks().forEach((name, check) -> {
            try {
                results.add(new Result(name, true, check.call()));
            } catch (Throwable t) {
                results.add(new Result(name, false, String.valueOf(t)));
            }
        });
        return results;
    }

    public static List<String> names() {
        return new ArrayList<>(checks().keySet());
    }

    private static void expect(Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("expected " + expected + ", got " + actual);
        }
    }
}
