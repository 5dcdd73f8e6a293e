package dev.jrunc.cli;

import dev.jrunc.runtime.CreateOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags {@code create} and {@code run} share, as runc names them. */
final class CreateFlags {
    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", description = "path to the root of the bundle directory (default: the current directory)")
    String bundle;

    @Option(names = "--console-socket", paramLabel = "PATH",
            description = "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal")
    String consoleSocket;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "specify the file to write the process id to")
    String pidFile;

    @Option(names = "--no-pivot", arity = "0..1", description = "do not use pivot root to jail process inside rootfs")
    boolean noPivot;

    @Option(names = "--no-new-keyring", arity = "0..1", description = "do not create a new session keyring for the container")
    boolean noNewKeyring;

    @Option(names = "--preserve-fds", paramLabel = "N", defaultValue = "0",
            description = "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)")
    int preserveFds;

    CreateOptions toOptions() {
        return new CreateOptions(Path.of(bundle == null || bundle.isEmpty() ? "." : bundle).toAbsolutePath().normalize(),
                pidFile == null || pidFile.isEmpty() ? null : Path.of(pidFile), consoleSocket, noPivot, noNewKeyring, preserveFds);
    }
}
