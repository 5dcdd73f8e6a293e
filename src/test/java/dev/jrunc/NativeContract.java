package dev.jrunc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs the test-only native image {@code target/native-contract} (see {@link NativeContractMain})
 * once per test JVM and turns its report into dynamic tests.
 *
 * <p>The image is the one named by the system property {@value #PROPERTY} ({@code make test}
 * sets it whenever it built native images; then a missing image is a failure), else
 * {@code target/native-contract} if it exists; else the native tests are skipped (a JVM-only
 * build).
 */
public final class NativeContract {
    public static final String PROPERTY = "jrunc.contract.native";
    private static Report report;

    /** The image's output: its pid as it reported it, the child's pid, exit status, lines. */
    public record Report(long reportedPid, long childPid, int exit, List<String> lines, String stderr) {}

    private NativeContract() {}

    /** What {@code id} prints with these options, as an int. */
    public static int id(String option) {
        try {
            Process p = new ProcessBuilder("id", option).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), "id " + option + ": " + out);
            return Integer.parseInt(out);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("id " + option, e);
        }
    }

    /** The report, or null when the image was not built and {@value #PROPERTY} is not set. */
    public static synchronized Report report() throws IOException, InterruptedException {
        if (report != null) {
            return report;
        }
        String configured = System.getProperty(PROPERTY, "");
        Path image;
        if (!configured.isBlank() && !configured.startsWith("${")) {
            image = Path.of(configured);
            if (!Files.isExecutable(image)) {
                fail(PROPERTY + "=" + configured + " is not an executable: the native contract image was not built");
            }
        } else {
            image = Path.of("target", "native-contract");
            if (!Files.isExecutable(image)) {
                return null;
            }
        }
        // umask 077: the contract checks that mkfifo's mode is exact whatever the umask
        Process p = new ProcessBuilder("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\"", image.toAbsolutePath().toString(),
                String.valueOf(id("-u"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "native contract image did not finish");
        List<String> lines = new ArrayList<>(new String(out, StandardCharsets.UTF_8).lines().toList());
        String first = lines.isEmpty() ? "" : lines.remove(0);
        if (!first.startsWith("pid ")) {
            fail("native contract image printed no pid line: " + first + "\nstderr: " + new String(err, StandardCharsets.UTF_8));
        }
        report = new Report(Long.parseLong(first.substring(4).trim()), p.pid(), p.exitValue(), lines,
                new String(err, StandardCharsets.UTF_8));
        return report;
    }

    /** One dynamic test per expected check of {@code group}, plus the checks on the run itself. */
    public static Stream<DynamicTest> tests(String group, List<String> expectedChecks) throws Exception {
        Report r = report();
        if (r == null) {
            return Stream.of(DynamicTest.dynamicTest("native image", () -> Assumptions.abort(
                    "no target/native-contract (a JVM-only build; make test builds it where native-image works)")));
        }
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("native image ran quietly", () -> {
            assertEquals("", r.stderr(), "native contract image wrote to stderr");
            assertEquals(r.childPid(), r.reportedPid(), "getpid in the image vs the pid the JVM started");
        }));
        for (String check : expectedChecks) {
            String prefix = group + ": " + check;
            tests.add(DynamicTest.dynamicTest(check, () -> {
                String line = r.lines().stream()
                        .filter(l -> l.substring(5).equals(prefix) || l.substring(5).startsWith(prefix + ": "))
                        .findFirst().orElseThrow(() -> new AssertionError("the native image did not run: " + prefix));
                assertTrue(line.startsWith("PASS "), line);
            }));
        }
        tests.add(DynamicTest.dynamicTest("native image ran no other " + group + " checks", () -> {
            long count = r.lines().stream().filter(l -> l.length() > 5 && l.substring(5).startsWith(group + ": ")).count();
            assertEquals(expectedChecks.size(), count, String.join("\n", r.lines()));
        }));
        return tests.stream();
    }
}
