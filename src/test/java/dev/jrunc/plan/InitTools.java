package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds jrunc-init and its C test tools once per JVM with src/main/c/init/Makefile. */
final class InitTools {
    static final Path OUT = Path.of("target/init").toAbsolutePath();
    static final Path PLAN_RESOURCES = Path.of("src/test/resources/plan").toAbsolutePath();
    private static boolean built;

    private InitTools() {}

    static synchronized Path out() throws Exception {
        if (!built) {
            Path log = Files.createTempFile("jrunc-init-make", ".log");
            Process make = new ProcessBuilder("make", "-C", "src/main/c/init", "OUT=" + OUT, "all")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = make.waitFor(300, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (!done) {
                make.destroyForcibly();
            }
            assertEquals(0, done ? make.exitValue() : -1, "make failed:\n" + output);
            built = true;
        }
        return OUT;
    }

    static Path init() throws Exception {
        return out().resolve("jrunc-init");
    }

    static Path driver() throws Exception {
        return out().resolve("init_driver");
    }

    static Path fuzz() throws Exception {
        return out().resolve("plan_fuzz");
    }

    static Path errtabCheck() throws Exception {
        return out().resolve("errtab_check");
    }
}
