package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** -h/--help of the app and of a command in urfave/cli's layout (runc's). */
class UrfaveHelpTest {
    private static String help(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Cli.run(args), String.join(" ", args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theAppsHelpHasUrfavesSections() {
        String out = help("--help");
        assertTrue(out.startsWith("NAME:\n   jrunc - "), out);
        assertTrue(out.contains("\nUSAGE:\n   jrunc [global options] command [command options] [arguments...]\n"), out);
        assertTrue(out.contains("\nVERSION:\n   "), out);
        assertTrue(out.contains("\nCOMMANDS:\n   create "), out);
        assertTrue(out.contains("\nGLOBAL OPTIONS:\n"), out);
        assertTrue(out.contains("   --root value "), out);
        assertEquals(out, help("-h"));
    }

    @Test
    void aCommandsHelpHasUrfavesSections() {
        String out = help("create", "--help");
        assertTrue(out.startsWith("NAME:\n   jrunc create - create a container\n"), out);
        assertTrue(out.contains("\nUSAGE:\n   jrunc create [command options] <container-id>\n"), out);
        assertTrue(out.contains("\nOPTIONS:\n"), out);
        assertTrue(out.contains("   --bundle value, -b value  "), out);
        assertTrue(out.contains("   --help, -h "), out);
        assertEquals(out, help("create", "-h"));
    }
}
