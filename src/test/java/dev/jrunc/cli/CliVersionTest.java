package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --version} alone skips the command tree; it must print what picocli prints. */
class CliVersionTest {
    @Test
    void theShortPathPrintsWhatTheTreePrints() {
        StringWriter tree = new StringWriter();
        CommandLine cli = Cli.commandLine();
        cli.setOut(new PrintWriter(tree));
        cli.printVersionHelp(cli.getOut());
        cli.getOut().flush();
        for (String flag : new String[] {"--version", "-v"}) {
            assertEquals(tree.toString(), printed(flag), flag);
        }
    }

    @Test
    void eachCallOfRunGetsATreeOfItsOwn() {
        assertNotSame(Cli.commandLine().getCommand(), Cli.commandLine().getCommand());
    }

    private static String printed(String flag) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, Cli.run(new String[] {flag}));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
