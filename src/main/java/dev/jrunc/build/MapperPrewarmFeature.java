package dev.jrunc.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrunc.features.SupportedFeatures;
import dev.jrunc.json.Json;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.state.model.ContainerStatus;
import dev.jrunc.state.model.Status;
import java.util.Map;
import org.graalvm.nativeimage.hosted.Feature;

/**
 * Native-image build-time feature: binds and writes each model type once with jrunc's mapper
 * while the image is built, so that the mapper stored in the image heap (its class, {@link Json},
 * is initialised at build time; see the Makefile) already holds the (de)serializers of the whole
 * model. Without it every {@code create} introspected the records again at run time (annotations,
 * generic signatures, constructors through the reflection metadata): measured about 4 ms of a
 * native {@code validate}.
 */
public final class MapperPrewarmFeature implements Feature {
    @Override
    public String getDescription() {
        return "Caches Jackson (de)serializers of jrunc's model in the image heap";
    }

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        ObjectMapper mapper = Json.mapper();
        try {
            JsonNode config = SpecGenerator.defaultSpec();
            Spec spec = mapper.treeToValue(config, Spec.class);
            mapper.readValue(mapper.writeValueAsBytes(spec), Spec.class);
            mapper.writeValueAsBytes(SupportedFeatures.current());
            mapper.readValue("{}", Hooks.class);
            mapper.writeValueAsBytes(new ContainerStatus("1.3.0", "id", 1, Status.CREATED, "/b", "/b/rootfs", "", "", Map.of("a", "b")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("warming up the JSON mapper at build time failed", e);
        }
    }
}
