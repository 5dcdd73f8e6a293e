package dev.jrunc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrunc.JruncException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/embed/run.sh, as a user runs it after {@code make}: a JVM program, with picocli off its
 * class path, creates, starts, waits for and deletes a busybox container through {@link Jrunc};
 * the container's output and exit status come out, and nothing is left (state directory, cgroups).
 */
@Tag("kernel")
class EmbedExampleTest {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path SCRIPT = Path.of("examples/embed/run.sh").toAbsolutePath();

    @TempDir
    Path root;

    @TempDir
    Path tmp;

    @Test
    void theExampleRunsAContainerThroughTheLibrary() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static");
        for (String built : List.of("jrunc.jar", "jrunc-init", "native/libjrunc.so")) {
            assertTrue(Files.exists(TARGET.resolve(built)), "make builds target/" + built + " before make test");
        }
        String id = "embed-test-" + ProcessHandle.current().pid();
        try {
            ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), root.toString(), id)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true);
            pb.environment().put("TMPDIR", tmp.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("examples/embed/run.sh did not finish in 120 s:\n" + out);
            }
            assertEquals(0, p.exitValue(), out);
            List<String> lines = out.lines().toList();
            assertTrue(lines.contains("picocli: not on the class path"), out);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("created " + id + ", pid ") && l.endsWith(", state created")), out);
            assertTrue(lines.contains("started " + id), out);
            assertTrue(lines.contains("hello from busybox in jrunc, pid 1"), out);
            assertTrue(lines.contains("exit status 3, state stopped"), out);
            assertTrue(lines.contains("deleted " + id), out);
            List<Path> cgroups = lines.stream().filter(l -> l.startsWith("cgroup ")).map(l -> Path.of(l.substring(7))).toList();
            assertFalse(cgroups.isEmpty(), "the container had cgroups: " + out);
            for (Path cgroup : cgroups) {
                assertTrue(cgroup.endsWith(id), "the container's own cgroup: " + cgroup);
                assertFalse(Files.exists(cgroup), cgroup + " is left after delete");
            }
            assertFalse(Files.exists(root.resolve(id)), "the state directory is left after delete");
            assertEquals(List.of(), cgroupsNamed(id), "cgroups named after the container are left");
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), "the example's bundle is left in $TMPDIR");
            }
        } finally {
            cleanUp(id);
        }
    }

    /** Directories named {@code id} in the host's cgroup hierarchies (a few levels deep). */
    private static List<Path> cgroupsNamed(String id) throws IOException {
        try (Stream<Path> dirs = Files.find(Path.of("/sys/fs/cgroup"), 4,
                (p, attrs) -> attrs.isDirectory() && p.getFileName() != null && p.getFileName().toString().equals(id))) {
            return dirs.toList();
        }
    }

    /** Whatever a failed run left: the container (through the library itself), its cgroups, the state root. */
    private void cleanUp(String id) throws IOException {
        if (Files.exists(root.resolve(id))) {
            try {
                Jrunc.builder().stateRoot(root).initBinary(TARGET.resolve("jrunc-init")).build().delete(id, true);
            } catch (JruncException e) {
                System.err.println("cleanup of " + id + ": " + e.getMessage());
            }
        }
        for (Path cgroup : cgroupsNamed(id)) {
            try (Stream<Path> tree = Files.walk(cgroup)) {
                // cgroup directories are removed with rmdir, deepest first; their files go with them
                for (Path dir : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException e) {
                System.err.println("cleanup of " + cgroup + ": " + e.getMessage());
            }
        }
    }
}
