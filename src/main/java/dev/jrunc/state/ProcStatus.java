package dev.jrunc.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringTokenizer;

/** What {@code /proc/self/status} says of this process that jrunc needs: its effective gid. */
public final class ProcStatus {
    private ProcStatus() {}

    /** The effective gid from {@code procRoot/self/status}, 0 when it cannot be read. */
    public static long effectiveGid(Path procRoot) {
        try {
            return effectiveGid(Files.readString(procRoot.resolve("self/status")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * The second field of the {@code Gid:} line (real, effective, saved, fs), else 0. Tokenised
     * without a regular expression: one less to compile per command.
     */
    static long effectiveGid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Gid:")) {
                StringTokenizer fields = new StringTokenizer(line.substring(4));
                if (fields.countTokens() < 2) {
                    return 0;
                }
                fields.nextToken();
                return Long.parseLong(fields.nextToken());
            }
        }
        return 0;
    }
}
