package dev.jrunc.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --rootless auto|true|false}; auto means: not root, or root of a user namespace (as runc). */
public enum Rootless {
    AUTO,
    TRUE,
    FALSE;

    public static Rootless parse(String value) {
        return switch (value) {
            case "auto" -> AUTO;
            case "true" -> TRUE;
            case "false" -> FALSE;
            default -> throw new IllegalArgumentException("invalid --rootless value " + value + ": must be auto, true or false");
        };
    }

    /** runc's shouldUseRootlessCgroupHierarchies: auto is rootless unless uid 0 of the initial user namespace. */
    public boolean effective(int euid, boolean inUserNamespace) {
        return switch (this) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> euid != 0 || inUserNamespace;
        };
    }

    /**
     * Whether jrunc runs outside the initial user namespace, as runc's userns.RunningInUserNS
     * tells it: the initial one maps every id onto itself, {@code 0 0 4294967295}.
     */
    static boolean inUserNamespace() {
        try {
            return !isInitialMap(Files.readString(Path.of("/proc/self/uid_map")));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a uid_map is the initial namespace's: one line, {@code 0 0 4294967295} (no regular expression: one less to compile per command). */
    static boolean isInitialMap(String map) {
        java.util.StringTokenizer fields = new java.util.StringTokenizer(map);
        return fields.countTokens() == 3 && fields.nextToken().equals("0") && fields.nextToken().equals("0")
                && fields.nextToken().equals("4294967295");
    }
}
