package dev.jrunc.state;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jrunc.api.ContainerListing;
import dev.jrunc.json.GoPrettyPrinter;
import dev.jrunc.state.model.ContainerStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code state} and {@code list --format json} output, written with jackson-core's generator
 * (no databind on these hot paths), in runc's member order and layout.
 */
public final class StatusJson {
    private StatusJson() {}

    /** runc's {@code state}: 2-space indent, no final newline. */
    public static String state(ContainerStatus s) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = StateCodec.factory().createGenerator(out)) {
            g.setPrettyPrinter(new GoPrettyPrinter("  "));
            write(g, s, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** runc's {@code list --format json}: one compact array, {@code null} when empty. */
    public static String list(List<ContainerListing> rows) {
        if (rows.isEmpty()) {
            return "null";
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = StateCodec.factory().createGenerator(out)) {
            g.writeStartArray();
            for (ContainerListing row : rows) {
                write(g, row.status(), row.owner());
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, ContainerStatus s, String owner) throws IOException {
        g.writeStartObject();
        StateCodec.string(g, "ociVersion", s.ociVersion());
        StateCodec.string(g, "id", s.id());
        g.writeNumberField("pid", s.pid());
        StateCodec.string(g, "status", s.status().text());
        StateCodec.string(g, "bundle", s.bundle());
        StateCodec.string(g, "rootfs", s.rootfs());
        StateCodec.string(g, "created", s.created());
        g.writeStringField("owner", owner);
        if (s.annotations() != null && !s.annotations().isEmpty()) {
            StateCodec.map(g, "annotations", s.annotations());
        }
        g.writeEndObject();
    }
}
