package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(out.contains("\nDESCRIPTION:\n   The create command"), out);
        // urfave does not list a command's help flag
        assertFalse(out.contains("--help"), out);
        assertEquals(out, help("create", "-h"));
    }

    @Test
    void aCommandWithoutFlagsHasNoOptionsSection() {
        String out = help("start", "--help");
        assertTrue(out.contains("\nUSAGE:\n   jrunc start <container-id>\n\nWhere \"<container-id>\""), out);
        assertFalse(out.contains("OPTIONS:"), out);
        assertFalse(out.contains("[command options]"), out);
    }

    @Test
    void theHelpCommandPrintsTheAppsOrACommandsHelp() {
        assertEquals(help("--help"), help("help"));
        assertEquals(help("--help"), help("h"));
        assertEquals(help("create", "--help"), help("help", "create"));
        assertEquals(help("kill", "--help"), help("h", "kill"));
        assertTrue(help("--help").contains("\n   help, h   Shows a list of commands or help for one command\n"));
    }

    /** The native image's tree is built by the same code: it has the help command and its alias. */
    @Test
    void thePrebuiltTreeHasTheHelpCommand() {
        assertTrue(PrebuiltCli.tree().getSubcommands().containsKey("help"));
        assertTrue(PrebuiltCli.tree().getSubcommands().containsKey("h"));
    }
}
