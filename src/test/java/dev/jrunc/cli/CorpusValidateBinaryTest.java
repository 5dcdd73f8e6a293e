package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.KernelTest;
import dev.jrunc.cli.JruncBinary.Result;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code jrunc validate} on every broken document of the corpus (schema-level {@code bad/} and
 * semantic {@code loose/}), through the executable: exit 1, the expected JSON pointer named.
 */
@KernelTest
class CorpusValidateBinaryTest {
    @TempDir
    Path bundle;

    static Stream<Path> broken() throws Exception {
        return Stream.of("bad", "loose").flatMap(dir -> {
            try {
                Path d = Path.of(CorpusValidateBinaryTest.class.getResource("/corpus/config/" + dir).toURI());
                return Files.list(d).filter(p -> p.toString().endsWith(".json"))
                        .filter(p -> Files.exists(Path.of(p.toString().replace(".json", ".expect")))).sorted().toList().stream();
            } catch (java.io.IOException | URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("broken")
    void refusedWithItsPointer(Path document) throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.copy(document, bundle.resolve("config.json"));
        List<String> expect = Files.readAllLines(Path.of(document.toString().replace(".json", ".expect")));
        String pointer = expect.isEmpty() ? "" : expect.get(0);
        Result r = JruncBinary.run(bundle, "validate");
        assertEquals(1, r.exit(), document.getFileName() + "\n" + r);
        assertEquals("", r.out(), r.toString());
        if (pointer.equals("!parse-error")) {
            assertTrue(r.err().contains("config.json: /: not valid JSON"), r.toString());
        } else {
            String shown = pointer.isEmpty() ? "/" : pointer;
            assertTrue(r.err().contains("config.json: " + shown + ": "), document.getFileName() + " should name " + shown + "\n" + r);
        }
        assertFalse(r.err().contains("SLF4J"), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
    }
}
