package dev.jrunc.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the jrunc executable under test as a separate process: the one named by the system
 * property {@code jrunc.binary} ({@code make test} passes {@code target/jrunc}, native or the
 * JVM launcher), else this build on the JVM through {@code dev.jrunc.JvmMain}.
 */
public final class JruncBinary {
    private JruncBinary() {}

    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    public static List<String> command() {
        String binary = System.getProperty("jrunc.binary", "");
        if (!binary.isEmpty() && !binary.startsWith("${")) {
            return List.of(Path.of(binary).toAbsolutePath().toString());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider");
        String lib = System.getProperty("jrunc.native.lib");
        if (lib != null) {
            cmd.add("-Djrunc.native.lib=" + lib);
        }
        String init = System.getProperty("jrunc.init");
        if (init != null && !init.isEmpty()) {
            cmd.add("-Djrunc.init=" + init);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.jrunc.JvmMain");
        return cmd;
    }

    public static Result run(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        // both pipes are small here; read stderr on a second thread so neither can fill up
        StringBuilder errText = new StringBuilder();
        Thread t = new Thread(() -> {
            try {
                errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                errText.append(e);
            }
        });
        t.start();
        String outText = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jrunc " + String.join(" ", args) + " did not finish in 60 s");
        }
        t.join();
        return new Result(p.exitValue(), outText, errText.toString());
    }
}
