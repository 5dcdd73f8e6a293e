package dev.jrunc.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * state.json with jackson-core's streaming parser and generator only: no ObjectMapper, no
 * reflection, so the commands engines call most ({@code state}, {@code list}, {@code kill},
 * {@code start}) stay cheap. Members it does not know are kept as raw JSON text.
 */
public final class StateCodec {
    private static final JsonFactory FACTORY = dev.jrunc.json.Json.factory();

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

    /**
     * Parses a state file strictly: an object whose known members have their types (a member of
     * the wrong type, a missing id, pid, phase, bundle or created, or an unknown phase is an
     * {@link IOException} saying which), unknown members kept. Never anything but IOException.
     */
    public static ContainerRecord read(byte[] json) throws IOException {
        String ociVersion = null, id = null, bundle = null, rootfs = null, created = null, cgroupDriver = null;
        Integer pid = null;
        long start = 0;
        Status phase = null;
        boolean rootless = false;
        Map<String, String> annotations = Map.of(), cgroupPaths = Map.of();
        Map<String, String> extra = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IOException("the file is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "ociVersion" -> ociVersion = text(p, name);
                    case "id" -> id = text(p, name);
                    case "pid" -> pid = (int) integer(p, name, 1, Integer.MAX_VALUE);
                    case "pidStartTime" -> start = integer(p, name, 0, Long.MAX_VALUE);
                    case "phase" -> phase = phase(p);
                    case "bundle" -> bundle = text(p, name);
                    case "rootfs" -> rootfs = text(p, name);
                    case "created" -> created = text(p, name);
                    case "annotations" -> annotations = readMap(p, name);
                    case "cgroupPaths" -> cgroupPaths = readMap(p, name);
                    case "rootless" -> rootless = bool(p, name);
                    case "cgroupDriver" -> cgroupDriver = text(p, name);
                    default -> extra.put(name, raw(p));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("truncated");
            }
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the state object");
            }
        } catch (JsonProcessingException e) {
            throw new IOException(dev.jrunc.json.Json.describe(e), e);
        }
        required("id", id);
        required("pid", pid);
        required("phase", phase);
        required("bundle", bundle);
        required("created", created);
        return new ContainerRecord(ociVersion, id, pid, start, phase, bundle, rootfs, created, annotations, cgroupPaths,
                rootless, cgroupDriver, extra);
    }

    private static void required(String name, Object value) throws IOException {
        if (value == null) {
            throw new IOException("member \"" + name + "\" is missing");
        }
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

    private static String text(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IOException("member \"" + name + "\" is not a string");
        }
        return p.getText();
    }

    private static long integer(JsonParser p, String name, long min, long max) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < min || p.getLongValue() > max) {
            throw new IOException("member \"" + name + "\" is not an integer from " + min + " to " + max);
        }
        return p.getLongValue();
    }

    private static boolean bool(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw new IOException("member \"" + name + "\" is not a boolean");
        }
        return t == JsonToken.VALUE_TRUE;
    }

    private static Status phase(JsonParser p) throws IOException {
        String text = text(p, "phase");
        for (Status s : Status.values()) {
            if (s.text().equals(text)) {
                return s;
            }
        }
        throw new IOException("member \"phase\" is not a known phase: \"" + text + "\"");
    }

    /** An object of strings ({@code null} is empty). */
    private static Map<String, String> readMap(JsonParser p, String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("member \"" + name + "\" is not an object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new IOException("member \"" + name + "\" has a value that is not a string (\"" + key + "\")");
            }
            map.put(key, p.getText());
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

    static JsonFactory factory() {
        return FACTORY;
    }
}
