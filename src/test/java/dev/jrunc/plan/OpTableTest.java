package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrunc.NativeBuildTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The C init's opcode table (jrunc-init --list-ops) is the same as {@link OpCode}. */
@NativeBuildTest
class OpTableTest {
    @Test
    void cAndJavaAgree() throws Exception {
        Process p = new ProcessBuilder(InitTools.init().toString(), "--list-ops").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        List<String> expected = new ArrayList<>();
        for (OpCode c : OpCode.values()) {
            String sig = c.reserved() ? "reserved" : c.signature().isEmpty() ? "-" : c.signature();
            expected.add(String.format("0x%02x %s %s", c.code(), c.cName(), sig));
        }
        assertEquals(String.join("\n", expected) + "\n", out);
    }
}
