package dev.jrunc.spec.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.json.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documents both schemas accept although the spec text forbids them: jrunc's full check
 * (schema, binding, semantic rules) must refuse each, at the pointer of its {@code .expect};
 * and the good corpus must pass the full check too.
 */
class LooseCorpusTest {

    static Path corpus(String dir) throws URISyntaxException {
        return Path.of(LooseCorpusTest.class.getResource("/corpus/config/" + dir).toURI());
    }

    static Stream<Path> loose() throws IOException, URISyntaxException {
        List<Path> files = Files.list(corpus("loose")).filter(p -> p.toString().endsWith(".json")).sorted().toList();
        assertFalse(files.isEmpty());
        return files.stream();
    }

    static Stream<Path> good() throws IOException, URISyntaxException {
        return Files.list(corpus("good")).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    /** Loose documents jrunc runs anyway, because runc does: refusing them would break drop-in use. */
    static final Map<String, String> TOLERATED = Map.of(
            "user-without-uid-gid.json", "runc runs a process without uid/gid as 0:0 (Go zero values)");

    /** Schema-valid documents that jrunc refuses, with the pointer, and why runc refuses them too. */
    static final Map<String, String> GOOD_BUT_REFUSED = Map.of(
            "crun-1.8.1-spec-rootless.json", "/linux/uidMappings", // runc: "user namespaces enabled, but no uid mappings found"; crun maps the caller itself
            "full-linux-v1.3.json", "/linux/namespaces/1/path", // /var/run/netns/full does not exist on this host
            "integer-boundaries.json", "/process/ioPriority/priority", // the kernel takes levels 0..7 only
            "official-linux-netdevice.json", "/linux/netDevices"); // no network namespace to move the devices into

    @ParameterizedTest
    @MethodSource("loose")
    void refusedAtItsPointer(Path file) throws Exception {
        JsonNode doc = Json.mapper().readTree(file.toFile());
        List<Violation> violations = ConfigValidator.check(doc);
        if (TOLERATED.containsKey(file.getFileName().toString())) {
            assertEquals(List.of(), violations, file.getFileName().toString());
            return;
        }
        String expected = Files.readAllLines(Path.of(file.toString().replace(".json", ".expect"))).get(0);
        assertTrue(violations.stream().anyMatch(v -> v.pointer().equals(expected)),
                file.getFileName() + ": expected a violation at " + expected + ", got " + violations);
    }

    @ParameterizedTest
    @MethodSource("good")
    void goodDocumentsPassTheFullCheck(Path file) throws Exception {
        JsonNode doc = Json.mapper().readTree(file.toFile());
        List<Violation> violations = ConfigValidator.check(doc);
        String refusedAt = GOOD_BUT_REFUSED.get(file.getFileName().toString());
        if (refusedAt == null) {
            assertEquals(List.of(), violations, file.getFileName().toString());
        } else {
            assertTrue(violations.stream().anyMatch(v -> v.pointer().equals(refusedAt)), file.getFileName() + ": " + violations);
        }
    }
}
