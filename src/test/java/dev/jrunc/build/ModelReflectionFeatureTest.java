package dev.jrunc.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelReflectionFeatureTest {

    @Test
    void findsEveryClassOfModelPackagesIncludingNestedOnes() {
        List<String> names = ModelReflectionFeature.modelClassNames(List.of(Path.of("target", "test-classes")));
        assertEquals(List.of(
                "dev.jrunc.build.model.Probe",
                "dev.jrunc.build.model.Probe$Hex",
                "dev.jrunc.build.model.Probe$Item",
                "dev.jrunc.build.model.Probe$Item$Nested",
                "dev.jrunc.build.model.Probe$Kind"), names);
    }
}
