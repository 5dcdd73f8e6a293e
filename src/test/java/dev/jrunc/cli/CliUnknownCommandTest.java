package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** urfave/cli's answer to a command it does not have, with and without -h; checkpoint named as unsupported. */
class CliUnknownCommandTest {
    @TempDir
    Path dir;

    private String run(int expected, String... args) throws Exception {
        Path log = dir.resolve("log");
        Files.deleteIfExists(log);
        String[] all = new String[args.length + 2];
        all[0] = "--log";
        all[1] = log.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        assertEquals(expected, Cli.run(all), String.join(" ", args));
        return Files.readString(log);
    }

    @Test
    void anUnknownCommandIsNoHelpTopicWithExit3() throws Exception {
        assertTrue(run(3, "foo").contains("msg=\"No help topic for 'foo'\\n\""));
        assertTrue(run(3, "foo", "-h").contains("msg=\"No help topic for 'foo'\\n\""));
        assertTrue(run(3, "--debug", "foo", "--help").contains("No help topic for 'foo'"));
    }

    @Test
    void checkpointAndRestoreAreNotSupported() throws Exception {
        assertTrue(run(1, "checkpoint", "-h").contains("not supported yet: checkpoint"));
        assertTrue(run(1, "restore", "x").contains("not supported yet: restore"));
    }
}
