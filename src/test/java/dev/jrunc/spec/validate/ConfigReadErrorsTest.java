package dev.jrunc.spec.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.spec.SpecGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link ConfigValidator#load} says when the bundle cannot be read: runc's reasons, no Java names. */
class ConfigReadErrorsTest {
    @TempDir
    Path bundle;

    static String message(Path bundle) {
        return assertThrows(JruncException.class, () -> ConfigValidator.load(bundle)).getMessage();
    }

    @Test
    void aMissingBundleIsChdirsError() {
        assertEquals("chdir " + bundle.resolve("none") + ": no such file or directory", message(bundle.resolve("none")));
    }

    @Test
    void aBundleThatIsAFileIsNotADirectory() throws Exception {
        Path file = Files.writeString(bundle.resolve("file"), "");
        assertEquals("chdir " + file + ": not a directory", message(file));
    }

    @Test
    void aConfigThatIsADirectoryIsADirectory() throws Exception {
        Files.createDirectory(bundle.resolve("config.json"));
        assertEquals("cannot read " + bundle.resolve("config.json") + ": is a directory", message(bundle));
    }

    @Test
    void aMissingRootfsIsStatsError() throws Exception {
        SpecGenerator.write(bundle, SpecGenerator.defaultSpec());
        assertEquals("invalid config.json: /root/path: invalid rootfs: stat " + bundle.resolve("rootfs") + ": no such file or directory",
                message(bundle));
    }

    @Test
    void jsonTooDeepToReadIsInvalidNotAnInternalError() throws Exception {
        Files.writeString(bundle.resolve("config.json"), "{\"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        String m = message(bundle);
        assertEquals("invalid config.json: /: JSON nested too deep (more than " + dev.jrunc.json.Json.MAX_DEPTH + " levels)", m);
    }

    @Test
    void depthLimitIsCheckedWhileParsingAtEveryDepthAboveIt() throws Exception {
        for (int depth : new int[] {dev.jrunc.json.Json.MAX_DEPTH, 1_000, 10_000, 100_000}) {
            Files.writeString(bundle.resolve("config.json"), "{\"a\": " + "{\"b\": ".repeat(depth) + "1" + "}".repeat(depth) + "}");
            assertEquals("invalid config.json: /: JSON nested too deep (more than " + dev.jrunc.json.Json.MAX_DEPTH + " levels)",
                    message(bundle), "depth " + depth);
        }
    }

    @Test
    void aNumberTooLongIsInvalidJsonInPlainWords() throws Exception {
        Files.writeString(bundle.resolve("config.json"), "{\"a\": " + "9".repeat(5000) + "}");
        String m = message(bundle);
        assertTrue(m.startsWith("invalid config.json: /: not valid JSON: a number too long"), m);
        assertFalse(m.contains("java.") || m.contains("Exception") || m.contains("StreamReadConstraints"), m);
    }
}
