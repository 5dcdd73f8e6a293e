package dev.jrunc.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrunc.build.model.Probe;
import dev.jrunc.sys.SyscallsContract.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jackson binds a {@code *.model} record in the native image exactly as on the JVM: the proof
 * that {@link ModelReflectionFeature} registers what Jackson needs. Run by
 * {@code ModelBindingContractTest} on the JVM and, through {@code NativeContractMain}, in the
 * native image.
 */
public final class ModelBindingContract {
    static final String JSON = "{\"name\":\"probe\",\"kind\":\"tmpfs\",\"items\":[{\"n\":1,\"nested\":"
            + "{\"on\":true,\"tags\":[\"a\",\"b\"]}}],\"labels\":{\"k\":\"v\"},\"fileMode\":420,\"mask\":\"0x1f\"}";
    static final String WRITTEN = JSON.replace("\"0x1f\"", "31");
    static final Probe VALUE = new Probe("probe", Probe.Kind.TMPFS,
            List.of(new Probe.Item(1, new Probe.Item.Nested(true, List.of("a", "b")))),
            Map.of("k", "v"), 420, 31L, null);

    private ModelBindingContract() {}

    public static List<Result> run() {
        List<Result> results = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        try {
            Probe read = mapper.readValue(JSON, Probe.class);
            results.add(new Result("jackson reads a model record", VALUE.equals(read), String.valueOf(read)));
        } catch (Throwable t) {
            results.add(new Result("jackson reads a model record", false, String.valueOf(t)));
        }
        try {
            String written = mapper.writeValueAsString(VALUE);
            results.add(new Result("jackson writes a model record", WRITTEN.equals(written), written));
        } catch (Throwable t) {
            results.add(new Result("jackson writes a model record", false, String.valueOf(t)));
        }
        return results;
    }

    public static List<String> names() {
        return List.of("jackson reads a model record", "jackson writes a model record");
    }
}
