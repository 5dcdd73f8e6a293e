package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.KernelTest;
import dev.jrunc.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrunc spec} must produce a config that runc itself runs: a busybox bundle made from the
 * host's busybox-static, run by runc 1.1 (installed by {@code .ci/run}) with a private state root.
 */
@KernelTest
class SpecRunsUnderRuncTest {
    @TempDir
    Path tmp;

    static Path busyboxRootfs(Path bundle) throws Exception {
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : new String[] {"sh", "echo", "cat", "true", "hostname", "id"}) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        return bundle.resolve("rootfs");
    }

    @Test
    void runcRunsTheSpecOutput() throws Exception {
        busyboxRootfs(tmp);
        assertEquals(0, JruncBinary.run(tmp, "spec").exit());
        assertEquals(0, JruncBinary.run(tmp, "validate").exit());
        ObjectNode config = (ObjectNode) Json.mapper().readTree(tmp.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        ArrayNode args = process.putArray("args");
        args.add("sh").add("-c").add("echo hello from $(hostname)");
        Files.writeString(tmp.resolve("config.json"), Json.pretty(config));

        String id = "jrunc-spec-" + ProcessHandle.current().pid();
        Process runc = new ProcessBuilder("runc", "--root", tmp.resolve("runc-root").toString(), "run", "--bundle", tmp.toString(), id)
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(runc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!runc.waitFor(60, TimeUnit.SECONDS)) {
            runc.destroyForcibly();
        }
        assertEquals(0, runc.exitValue(), out);
        assertEquals("hello from jrunc\n", out);
    }
}
