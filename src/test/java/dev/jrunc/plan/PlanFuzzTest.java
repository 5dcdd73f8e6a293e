package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.NativeBuildTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The C decoder (under ASan/UBSan) against hand-made bad plans and corruptions of the golden ones. */
@NativeBuildTest
class PlanFuzzTest {
    @Test
    void decoderFailsClosedOnMalformedPlans() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(InitTools.fuzz().toString()));
        try (Stream<Path> files = Files.list(InitTools.PLAN_RESOURCES)) {
            files.filter(f -> f.toString().endsWith(".bin")).sorted().forEach(f -> cmd.add(f.toString()));
        }
        assertTrue(cmd.size() >= 3, "golden plans missing: " + cmd);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.endsWith("all passed\n"), out);
    }
}
