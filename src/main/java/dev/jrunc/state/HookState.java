package dev.jrunc.state;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jrunc.state.model.Status;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The state a hook reads on its stdin: the runtime-spec state as runc writes it for hooks
 * (Go's {@code specs.State}): {@code ociVersion, id, status, pid, bundle, annotations} in that
 * order, compact, {@code pid} left out when 0 (a stopped container) and {@code annotations} when
 * empty. Written with jackson-core's generator (no databind).
 */
public final class HookState {
    private static final char PID_MARK = '\0';

    private HookState() {}

    /** The state with this pid (0: left out). */
    public static byte[] json(String ociVersion, String id, Status status, int pid, String bundle, Map<String, String> annotations) {
        String text = write(ociVersion, id, status, pid == 0 ? null : Integer.toString(pid), bundle, annotations);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The state split around its pid: {@code [prefix, suffix]}, for jrunc-init, which writes
     * prefix, the pid it sees, suffix (a NUL marks the place: JSON text escapes every real one).
     */
    public static String[] aroundPid(String ociVersion, String id, Status status, String bundle, Map<String, String> annotations) {
        String text = write(ociVersion, id, status, String.valueOf(PID_MARK), bundle, annotations);
        int at = text.indexOf(PID_MARK);
        return new String[] {text.substring(0, at), text.substring(at + 1)};
    }

    private static String write(String ociVersion, String id, Status status, String rawPid, String bundle,
                                Map<String, String> annotations) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = StateCodec.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ociVersion", ociVersion);
            g.writeStringField("id", id);
            g.writeStringField("status", status.text());
            if (rawPid != null) {
                g.writeFieldName("pid");
                g.writeRawValue(rawPid);
            }
            g.writeStringField("bundle", bundle);
            if (annotations != null && !annotations.isEmpty()) {
                StateCodec.map(g, "annotations", annotations);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
