package dev.jrunc.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalsTest {
    @ParameterizedTest
    @CsvSource({"KILL,9", "SIGKILL,9", "kill,9", "9,9", "TERM,15", "SIGUSR1,10", "usr2,12", "HUP,1", "WINCH,28",
        "SIGRTMIN,34", "RTMAX,64", "RTMIN+3,37", "SIGRTMAX-2,62", "64,64", "IOT,6",
        // numbers as Go's Atoi reads them (runc): kill(2) judges them
        "0,0", "+9,9", "09,9", "65,65", "-9,-9"})
    void parses(String text, int expected) throws JruncException {
        assertEquals(expected, Signals.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "SIG", "RTMIN+40", "", "99999999999", " 9", "9 ", "KILL ", " KILL", "SIG KILL", "9x"})
    void refuses(String text) {
        JruncException e = assertThrows(JruncException.class, () -> Signals.parse(text));
        assertEquals("unknown signal \"" + text + "\"", e.getMessage());
    }

    @Test
    void names() {
        assertEquals("TERM", Signals.name(15));
        assertEquals("ABRT", Signals.name(6));
        assertEquals("RTMIN+2", Signals.name(36));
    }
}
