package dev.jrunc.api;

import dev.jrunc.JruncException;
import dev.jrunc.log.Logger;
import dev.jrunc.sys.IoErrors;
import java.nio.file.Path;
import java.util.Map;

/**
 * The global settings of a jrunc invocation (runc's global flags), resolved.
 *
 * @param root the state root: {@code --root}, else {@code /run/jrunc} as root, else
 *     {@code $XDG_RUNTIME_DIR/jrunc}
 */
public record RuntimeOptions(Path root, boolean rootless, boolean systemdCgroup, Logger logger) {

    public static final Path DEFAULT_ROOT = Path.of("/run/jrunc");

    /** Resolves the defaults the way runc does for its own root. */
    public static RuntimeOptions resolve(String rootFlag, Rootless rootlessFlag, boolean systemdCgroup, Logger logger,
            int euid, Map<String, String> env) throws JruncException {
        boolean rootless = rootlessFlag.effective(euid);
        Path root;
        if (rootFlag != null && !rootFlag.isEmpty()) {
            root = Path.of(rootFlag).toAbsolutePath().normalize();
        } else if (!rootless || euid == 0) {
            root = DEFAULT_ROOT;
        } else {
            String xdg = env.get("XDG_RUNTIME_DIR");
            if (xdg == null || xdg.isEmpty()) {
                throw new JruncException("rootless mode needs a state root: XDG_RUNTIME_DIR is not set; pass --root DIR");
            }
            root = Path.of(xdg, "jrunc");
            // runc's check, at every start: the state root under XDG_RUNTIME_DIR exists or can be made
            try {
                java.nio.file.Files.createDirectories(root, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (java.io.IOException | UnsupportedOperationException e) {
                throw new JruncException("the path in $XDG_RUNTIME_DIR must be writable by the user: " + IoErrors.pathError("mkdir", root, e));
            }
        }
        return new RuntimeOptions(root, rootless, systemdCgroup, logger);
    }
}
