package dev.jrunc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:40:20.5Z"), ZoneOffset.UTC);
    @TempDir
    Path tmp;

    @Test
    void textToStderrLikeLogrus() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Logger log = new Logger(null, Logger.Format.TEXT, false, new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
        log.error("container does not exist");
        log.debug("hidden");
        assertEquals("time=\"2026-11-25T10:40:20Z\" level=error msg=\"container does not exist\"\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void openCreatesTheFileAndKeepsWhatItHolds() throws Exception {
        Path file = tmp.resolve("created.json");
        Logger log = new Logger(file, Logger.Format.JSON, false, System.err, CLOCK);
        log.open();
        assertEquals("", Files.readString(file));
        log.warn("w");
        new Logger(file, Logger.Format.JSON, false, System.err, CLOCK).open();
        assertEquals("{\"level\":\"warning\",\"msg\":\"w\",\"time\":\"2026-11-25T10:40:20Z\"}\n", Files.readString(file));
        Logger.toStderr().open();
    }

    @Test
    void jsonToFileAndBareMessageToStderr() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path file = tmp.resolve("log.json");
        Logger log = new Logger(file, Logger.Format.JSON, true, new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
        log.debug("state root /run/jrunc");
        log.error("exec: \"x\": executable file not found in $PATH");
        assertEquals("{\"level\":\"debug\",\"msg\":\"state root /run/jrunc\",\"time\":\"2026-11-25T10:40:20Z\"}\n"
                + "{\"level\":\"error\",\"msg\":\"exec: \\\"x\\\": executable file not found in $PATH\",\"time\":\"2026-11-25T10:40:20Z\"}\n",
                Files.readString(file));
        assertEquals("exec: \"x\": executable file not found in $PATH\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void logfmtQuotingFollowsLogrus() {
        assertEquals("plain-value_1.2/x@y^z+", Logger.logfmtValue("plain-value_1.2/x@y^z+"));
        assertEquals("\"two words\"", Logger.logfmtValue("two words"));
        assertEquals("\"a\\\"b\\\\c\\nd\"", Logger.logfmtValue("a\"b\\c\nd"));
        assertEquals("\"\"", Logger.logfmtValue(""));
    }

    @Test
    void unknownFormatIsRefusedWithRuncsWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Logger.Format.parse("xml"));
        assertEquals("invalid log-format: xml", e.getMessage());
    }
}
