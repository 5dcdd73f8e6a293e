package dev.jrunc.log;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.jrunc.state.GoTime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Locale;

/**
 * Writes log lines as runc does, which podman and containerd read back:
 * <ul>
 *   <li>text: {@code time="2026-11-25T10:40:20Z" level=error msg="container does not exist"};
 *   <li>json: {@code {"level":"error","msg":"container does not exist","time":"2026-11-25T10:40:20Z"}}.
 * </ul>
 * Without {@code --log} the line goes to stderr; with it, to the end of that file, and an error's
 * bare message also to stderr.
 */
public final class Logger {

    public enum Level {
        DEBUG,
        INFO,
        WARNING,
        ERROR;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Format {
        TEXT,
        JSON;

        public static Format parse(String value) {
            return switch (value) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("invalid log-format: " + value);
            };
        }
    }

    private final Path file;
    private final Format format;
    private final boolean debug;
    private final PrintStream stderr;
    private final Clock clock;

    public Logger(Path file, Format format, boolean debug, PrintStream stderr, Clock clock) {
        this.file = file;
        this.format = format;
        this.debug = debug;
        this.stderr = stderr;
        this.clock = clock;
    }

    /** Text lines on stderr, no debug: what applies before the global flags are known. */
    public static Logger toStderr() {
        return new Logger(null, Format.TEXT, false, System.err, Clock.systemUTC());
    }

    /**
     * Creates the {@code --log} file when missing, as runc does at start: the engines' shims
     * open it after every failed call (containerd logs "unable to get error from runtime" when
     * it is absent). A file that cannot be created is left to the first write's fallback.
     */
    public void open() {
        if (file == null) {
            return;
        }
        try {
            Files.write(file, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // reported with the first line written, which then goes to stderr
        }
    }

    public void error(String message) {
        write(Level.ERROR, message);
        if (file != null) {
            stderr.println(message);
        }
    }

    public void warn(String message) {
        write(Level.WARNING, message);
    }

    public void debug(String message) {
        if (debug) {
            write(Level.DEBUG, message);
        }
    }

    public boolean debugEnabled() {
        return debug;
    }

    private void write(Level level, String message) {
        String line = format(level, message) + "\n";
        if (file == null) {
            stderr.print(line);
            stderr.flush();
            return;
        }
        try {
            Files.write(file, line.getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            stderr.print(line);
        }
    }

    String format(Level level, String message) {
        String time = GoTime.rfc3339(clock.instant());
        if (format == Format.JSON) {
            return "{\"level\":\"" + level.text() + "\",\"msg\":\"" + jsonEscape(message)
                    + "\",\"time\":\"" + time + "\"}";
        }
        return "time=\"" + time + "\" level=" + level.text() + " msg=" + logfmtValue(message);
    }

    private static String jsonEscape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    /** logrus quotes a value unless it is made only of {@code [A-Za-z0-9-._/@^+]}; quoting as Go's %q. */
    static String logfmtValue(String s) {
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
        }
        if (plain) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
