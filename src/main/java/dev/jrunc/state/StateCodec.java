package dev.jrunc.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * state.json with jackson-core's streaming parser and generator only: no ObjectMapper, no
 * reflection, so the commands engines call most ({@code state}, {@code list}, {@code kill},
 * {@code start}) stay cheap. Members it does not know are kept as raw JSON text.
 */
public final class StateCodec {
    private static final JsonFactory FACTORY = new JsonFactory();

    private StateCodec() {}

    public static byte[] write(ContainerRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            string(g, "ociVersion", r.ociVersion());
            string(g, "id", r.id());
            g.writeNumberField("pid", r.pid());
            g.writeNumberField("pidStartTime", r.pidStartTime());
            string(g, "phase", r.phase() == null ? null : r.phase().text());
            string(g, "bundle", r.bundle());
            string(g, "rootfs", r.rootfs());
            string(g, "created", r.created());
            map(g, "annotations", r.annotations());
            map(g, "cgroupPaths", r.cgroupPaths());
            g.writeBooleanField("rootless", r.rootless());
            string(g, "cgroupDriver", r.cgroupDriver());
            for (Map.Entry<String, String> e : r.extra().entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeRawValue(e.getValue());
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    public static ContainerRecord read(byte[] json) throws IOException {
        String ociVersion = null, id = null, bundle = null, rootfs = null, created = null, cgroupDriver = null;
        int pid = 0;
        long start = 0;
        Status phase = null;
        boolean rootless = false;
        Map<String, String> annotations = Map.of(), cgroupPaths = Map.of();
        Map<String, String> extra = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "ociVersion" -> ociVersion = text(p);
                    case "id" -> id = text(p);
                    case "pid" -> pid = p.getIntValue();
                    case "pidStartTime" -> start = p.getLongValue();
                    case "phase" -> phase = value == JsonToken.VALUE_NULL ? null : Status.valueOf(p.getText().toUpperCase(Locale.ROOT));
                    case "bundle" -> bundle = text(p);
                    case "rootfs" -> rootfs = text(p);
                    case "created" -> created = text(p);
                    case "annotations" -> annotations = readMap(p);
                    case "cgroupPaths" -> cgroupPaths = readMap(p);
                    case "rootless" -> rootless = p.getBooleanValue();
                    case "cgroupDriver" -> cgroupDriver = text(p);
                    default -> extra.put(name, raw(p));
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the state object");
            }
        }
        return new ContainerRecord(ociVersion, id, pid, start, phase, bundle, rootfs, created, annotations, cgroupPaths,
                rootless, cgroupDriver, extra);
    }

    static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    static void map(JsonGenerator g, String name, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getValueAsString();
    }

    private static Map<String, String> readMap(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        expect(p.currentToken(), JsonToken.START_OBJECT);
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            map.put(key, p.getValueAsString());
        }
        return map;
    }

    private static String raw(JsonParser p) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.copyCurrentStructure(p);
        }
        return text.toString();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }

    static JsonFactory factory() {
        return FACTORY;
    }
}
