package dev.jrunc.cli;

import dev.jrunc.JruncException;
import dev.jrunc.Version;
import dev.jrunc.api.Jrunc;
import dev.jrunc.api.Rootless;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.log.Logger;
import dev.jrunc.runtime.InitBinary;
import dev.jrunc.sys.Native;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/** {@code jrunc}: runc's global options; the subcommands reach them through {@link #jrunc()}. */
@Command(
        name = "jrunc",
        description = {"An OCI container runtime (runtime-spec " + Version.OCI_SPEC + "), a drop-in replacement for runc."},
        versionProvider = JruncCommand.VersionProvider.class,
        subcommands = {
            CreateCommand.class,
            StartCommand.class,
            RunCommand.class,
            ExecCommand.class,
            KillCommand.class,
            UpdateCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            PsCommand.class,
            EventsCommand.class,
            DeleteCommand.class,
            StateCommand.class,
            ListCommand.class,
            SpecCommand.class,
            ValidateCommand.class,
            FeaturesCommand.class,
            HelpCommand.class,
        },
        synopsisSubcommandLabel = "COMMAND")
public final class JruncCommand implements Runnable {

    @Option(names = "--root", paramLabel = "DIR",
            description = "root directory for storage of container state (default: /run/jrunc, or $XDG_RUNTIME_DIR/jrunc when rootless)")
    String root;

    @Option(names = "--log", paramLabel = "FILE", description = "set the log file to write jrunc logs to (default: stderr)")
    String log;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "set the log format: text (default) or json")
    String logFormat;

    @Option(names = "--debug", arity = "0..1", description = "enable debug logging")
    boolean debug;

    @Option(names = "--systemd-cgroup", arity = "0..1",
            description = "use systemd to manage cgroups (needs a running systemd)")
    boolean systemdCgroup;

    @Option(names = "--rootless", paramLabel = "auto|true|false", defaultValue = "auto",
            description = "ignore cgroup permission errors and keep state in a user directory (default: auto)")
    String rootless;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "print the version")
    boolean versionRequested;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show help")
    boolean helpRequested;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private Logger logger;
    private Jrunc jrunc;

    @Override
    public void run() {
        // no command: the app's help, as runc (Cli installs the layout on this tree)
        spec.commandLine().usage(System.out);
    }

    /** The logger the global flags ask for (stderr text lines when they are unusable). */
    Logger logger() {
        if (logger == null) {
            Logger.Format format;
            try {
                format = Logger.Format.parse(logFormat == null ? "text" : logFormat);
            } catch (IllegalArgumentException e) {
                format = Logger.Format.TEXT;
            }
            logger = new Logger(log == null || log.isEmpty() ? null : Path.of(log), format, debug, System.err, Clock.systemUTC());
        }
        return logger;
    }

    /** The library, configured by the global flags; fails with runc's message on a bad flag value. */
    Jrunc jrunc() throws JruncException {
        if (jrunc == null) {
            try {
                Logger.Format.parse(logFormat);
            } catch (IllegalArgumentException e) {
                throw new JruncException(e.getMessage());
            }
            Rootless mode;
            try {
                mode = Rootless.parse(rootless);
            } catch (IllegalArgumentException e) {
                throw new JruncException(e.getMessage());
            }
            logger().open();
            // the JVM launcher names the init with -Djrunc.init; the native jrunc finds it beside itself
            String init = System.getProperty(InitBinary.PROPERTY);
            jrunc = Jrunc.builder()
                    .stateRoot(root == null || root.isEmpty() ? null : Path.of(root))
                    .rootless(mode)
                    .systemdCgroup(systemdCgroup)
                    .logger(logger())
                    .initBinary(init == null || init.isEmpty() ? null : Path.of(init))
                    .build(Native.syscalls());
            RuntimeOptions options = jrunc.options();
            logger().debug("state root " + options.root() + (options.rootless() ? " (rootless)" : ""));
        }
        return jrunc;
    }

    /** runc's {@code --version} layout: podman and containerd show its first line. */
    public static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return Version.banner().split("\n");
        }
    }
}
