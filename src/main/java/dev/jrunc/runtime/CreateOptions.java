package dev.jrunc.runtime;

import java.nio.file.Path;

/**
 * The per-container flags of {@code create} and {@code run}.
 *
 * @param pidFile where to write the container's pid ({@code --pid-file}), or null
 * @param consoleSocket {@code --console-socket} path, or null
 * @param preserveFds {@code --preserve-fds}: fds 3..3+N-1 of jrunc reach the process
 */
public record CreateOptions(Path bundle, Path pidFile, String consoleSocket, boolean noPivot, boolean noNewKeyring,
        int preserveFds) {

    /** {@code create BUNDLE} with no other flag. */
    public static CreateOptions of(Path bundle) {
        return new CreateOptions(bundle, null, null, false, false, 0);
    }
}
