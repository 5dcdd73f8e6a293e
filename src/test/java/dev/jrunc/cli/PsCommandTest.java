package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PsCommandTest {
    private static final String PS_EF = """
            UID          PID    PPID  C STIME TTY          TIME CMD
            root           1       0  0 10:00 ?        00:00:01 /sbin/init
            root         250       1  0 10:01 ?        00:00:00 sh -c sleep 1000 & wait
            root         251     250  0 10:01 ?        00:00:00 sleep 1000
            root        2510       1  0 10:01 ?        00:00:00 other 250
            """;

    @Test
    void keepsTheHeaderAndTheRowsOfTheContainersPids() throws Exception {
        assertEquals("""
                UID          PID    PPID  C STIME TTY          TIME CMD
                root         250       1  0 10:01 ?        00:00:00 sh -c sleep 1000 & wait
                root         251     250  0 10:01 ?        00:00:00 sleep 1000
                """, PsCommand.filter(PS_EF, Set.of(250, 251)));
        assertEquals("UID          PID    PPID  C STIME TTY          TIME CMD\n", PsCommand.filter(PS_EF, Set.of()));
    }

    @Test
    void thePidColumnIsFoundInTheHeader() throws Exception {
        assertEquals("  PID COMMAND\n  251 sleep\n", PsCommand.filter("  PID COMMAND\n  250 sh\n  251 sleep\n", Set.of(251)));
    }

    @Test
    void runcErrors() {
        assertEquals("couldn't find PID field in ps output",
                assertThrows(JruncException.class, () -> PsCommand.filter("COMMAND\nsh\n", Set.of(1))).getMessage());
        assertThrows(JruncException.class, () -> PsCommand.filter("PID CMD\nx sh\n", Set.of(1)));
    }
}
