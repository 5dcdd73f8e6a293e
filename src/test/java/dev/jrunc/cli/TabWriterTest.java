package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TabWriterTest {
    /** Byte for byte what runc 1.1.5 printed for one created container on this machine. */
    @Test
    void matchesRuncsTable() {
        String expected = "ID          PID         STATUS      BUNDLE         CREATED                        OWNER\n"
                + "rtest       7065        created     /tmp/rbundle   2026-11-25T10:40:06.1146813Z   root\n";
        assertEquals(expected, TabWriter.format(List.of(
                new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"},
                new String[] {"rtest", "7065", "created", "/tmp/rbundle", "2026-11-25T10:40:06.1146813Z", "root"})));
    }

    @Test
    void emptyTableIsTheHeader() {
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n",
                TabWriter.format(List.<String[]>of(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"})));
    }
}
