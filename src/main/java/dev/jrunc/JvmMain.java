package dev.jrunc;

import dev.jrunc.cli.Cli;
import dev.jrunc.sys.ffm.FfmSyscalls;
import java.nio.file.Path;

/**
 * Entry point on the JVM (`make jvm`): the FFM binding of the native calls, bound to the library
 * the launcher names with {@code -Djrunc.native.lib=PATH} (else the one beside jrunc.jar).
 */
public final class JvmMain {
    private JvmMain() {}

    public static void main(String[] args) {
        Defaults.apply();
        String library = System.getProperty(FfmSyscalls.LIBRARY_PROPERTY);
        Path configured = library == null || library.isBlank() ? null : Path.of(library);
        dev.jrunc.sys.Native.install(() -> new FfmSyscalls(FfmSyscalls.locateLibrary(configured)));
        System.exit(Cli.run(args));
    }
}
