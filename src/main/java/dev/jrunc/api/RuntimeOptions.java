package dev.jrunc.api;

import dev.jrunc.JruncException;
import dev.jrunc.log.Logger;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The global settings of a jrunc invocation (runc's global flags), resolved.
 *
 * @param root the state root: {@code --root}, else {@code $XDG_RUNTIME_DIR/jrunc} when runc would
 *     use {@code $XDG_RUNTIME_DIR/runc} (see {@link #honorsXdgRuntimeDir}), else {@code /run/jrunc}
 */
public record RuntimeOptions(Path root, boolean rootless, boolean systemdCgroup, Logger logger) {

    public static final Path DEFAULT_ROOT = Path.of("/run/jrunc");

    /** Resolves the defaults the way runc does for its own root. */
    public static RuntimeOptions resolve(String rootFlag, Rootless rootlessFlag, boolean systemdCgroup, Logger logger,
            int euid, Map<String, String> env) throws JruncException {
        return resolve(rootFlag, rootlessFlag, systemdCgroup, logger, euid, Rootless.inUserNamespace(), env);
    }

    /**
     * As {@link #resolve(String, Rootless, boolean, Logger, int, Map)}, with whether jrunc runs
     * outside the initial user namespace (rootless podman and buildah run the runtime as uid 0
     * of their own namespace) given.
     */
    static RuntimeOptions resolve(String rootFlag, Rootless rootlessFlag, boolean systemdCgroup, Logger logger,
            int euid, boolean inUserNamespace, Map<String, String> env) throws JruncException {
        boolean rootless = rootlessFlag.effective(euid, inUserNamespace);
        Path root;
        if (rootFlag != null && !rootFlag.isEmpty()) {
            root = Path.of(rootFlag).toAbsolutePath().normalize();
        } else if (honorsXdgRuntimeDir(euid, inUserNamespace, env)) {
            root = Path.of(env.get("XDG_RUNTIME_DIR"), "jrunc");
            makeXdgRoot(root);
        } else if (rootless && euid != 0) {
            throw new JruncException("rootless mode needs a state root: XDG_RUNTIME_DIR is not set; pass --root DIR");
        } else {
            root = DEFAULT_ROOT;
        }
        return new RuntimeOptions(root, rootless, systemdCgroup, logger);
    }

    /**
     * Whether the default state root is under {@code $XDG_RUNTIME_DIR}, as runc decides it
     * (main.go, rootless_linux.go shouldHonorXDGRuntimeDir): the variable is set, and jrunc is not
     * the real root: either not uid 0, or uid 0 of a user namespace other than the initial one
     * whose {@code USER} is not {@code root} (the engines' rootless namespace keeps the user's
     * name). The real root keeps {@code /run/jrunc} even with {@code XDG_RUNTIME_DIR=/run/user/0}.
     */
    static boolean honorsXdgRuntimeDir(int euid, boolean inUserNamespace, Map<String, String> env) {
        if (euid == 0 && !inUserNamespace) {
            return false; // the real root: the environment is not even read
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg == null || xdg.isEmpty()) {
            return false;
        }
        if (euid != 0) {
            return true;
        }
        return inUserNamespace && !"root".equals(env.get("USER"));
    }

    /**
     * runc's check at every start: the state root under XDG_RUNTIME_DIR exists or can be made,
     * mode 0700 with the sticky bit (which the XDG spec asks for, so the directory is not aged out).
     */
    private static void makeXdgRoot(Path root) throws JruncException {
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(root, "unix:mode", 01700);
        } catch (IOException | UnsupportedOperationException e) {
            throw new JruncException("the path in $XDG_RUNTIME_DIR must be writable by the user: " + IoErrors.pathError("mkdir", root, e));
        }
    }
}
