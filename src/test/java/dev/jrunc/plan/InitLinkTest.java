package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.NativeBuildTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * How jrunc-init is linked: with musl when musl-gcc is there (create copies the init into a
 * sealed memfd each time, so its size is paid per container), and with its own errno texts,
 * glibc's (runc's), whatever the libc.
 */
@NativeBuildTest
class InitLinkTest {
    @Test
    void errnoTextsAreGlibcs() throws Exception {
        Process p = new ProcessBuilder(InitTools.errtabCheck().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("0 differ\n", out);
    }

    @Test
    void initIsLinkedWithMuslWhenMuslGccIsThere() throws Exception {
        boolean musl;
        try (Stream<String> dirs = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))) {
            musl = dirs.anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "musl-gcc")));
        }
        long size = Files.size(InitTools.init());
        if (musl) {
            // musl: about 116 kB; glibc's static link: about 744 kB
            assertTrue(size < 300_000, "jrunc-init is " + size + " bytes: not linked with musl?");
        } else {
            assertTrue(size > 0);
        }
    }
}
