package dev.jrunc.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc/PID/stat} says of a process: its state letter and its start time (in clock
 * ticks since boot), which together with the pid identify it across pid reuse, as runc does.
 */
public record ProcStat(int pid, char state, long startTime) {

    public static Optional<ProcStat> read(int pid) {
        return read(Path.of("/proc"), pid);
    }

    /** The same under another /proc (a test's). */
    public static Optional<ProcStat> read(Path procRoot, int pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String line = Files.readString(procRoot.resolve(Integer.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
            return Optional.of(parse(pid, line));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone (NoSuchFileException), or not a readable stat line
        }
    }

    /**
     * Parses a stat line. The command name (field 2) is in parentheses and may itself contain
     * spaces and ')', so fields are counted from the last ')'.
     */
    static ProcStat parse(int pid, String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("malformed stat line");
        }
        String[] rest = line.substring(close + 2).trim().split(" ");
        // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
        return new ProcStat(pid, rest[0].charAt(0), Long.parseLong(rest[19]));
    }

    /** A zombie or dead process has exited: its container is stopped. */
    public boolean exited() {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
