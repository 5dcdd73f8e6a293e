package dev.jrunc.cli;

import dev.jrunc.JruncException;
import dev.jrunc.runtime.ExecOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc exec [flags] ID [COMMAND ARGS...]}: a new process in a running container, runc's flags. */
@Command(name = "exec", header = {
            "Where \"<container-id>\" is the name of the container and \"<command>\" the program to run",
            "in it, with its arguments. \"<command>\" may be left out only with \"-p process.json\".",
            "",
            "EXAMPLE:",
            "To list the processes of the container \"web01\" (its image must have ps):",
            "",
            "       # jrunc exec web01 ps"},
        description = {"execute new process inside the container"})
final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Option(names = "--console-socket", paramLabel = "PATH", description = "path to an AF_UNIX socket which will receive the pty master")
    String consoleSocket;

    @Option(names = "--cwd", paramLabel = "DIR", description = "current working directory in the container")
    String cwd;

    @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = {"-t", "--tty"}, arity = "0..1", description = "allocate a pseudo-TTY")
    Boolean tty;

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "UID (format: <uid>[:<gid>])")
    String user;

    @Option(names = {"-g", "--additional-gids"}, paramLabel = "GID", description = "additional gids")
    List<Long> additionalGids = new ArrayList<>();

    @Option(names = {"-p", "--process"}, paramLabel = "FILE", description = "path to the process.json")
    String process;

    @Option(names = {"-d", "--detach"}, arity = "0..1", description = "detach from the container's process")
    boolean detach;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "specify the file to write the process id to")
    String pidFile;

    @Option(names = "--process-label", paramLabel = "LABEL", description = "set the asm process label for the process commonly used with selinux")
    String processLabel;

    @Option(names = "--apparmor", paramLabel = "PROFILE", description = "set the apparmor profile for the process")
    String apparmor;

    @Option(names = "--no-new-privs", arity = "0..1", description = "set the no new privileges value for the process")
    Boolean noNewPrivs;

    @Option(names = {"-c", "--cap"}, paramLabel = "CAP", description = "add a capability to the bounding set for the process")
    List<String> caps = new ArrayList<>();

    @Option(names = "--preserve-fds", paramLabel = "N", defaultValue = "0", description = "pass N additional file descriptors to the container")
    int preserveFds;

    @Option(names = "--ignore-paused", arity = "0..1", description = "allow exec in a paused container")
    boolean ignorePaused;

    @Option(names = "--cgroup", paramLabel = "[CONTROLLER:]PATH",
            description = "run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>.")
    List<String> cgroups = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1..*", paramLabel = "<command>", description = "command and arguments")
    List<String> args = new ArrayList<>();

    /** runc's exit status when exec itself fails (not the process). */
    static final int EXEC_FAILED = 255;

    @Override
    public Integer call() throws Exception {
        try {
            return execute();
        } catch (JruncException e) {
            // runc: fatalWithCode(fmt.Errorf("exec failed: %w", err), 255)
            parent.logger().error("exec failed: " + e.getMessage());
            return EXEC_FAILED;
        }
    }

    private int execute() throws JruncException {
        if ((process == null || process.isEmpty()) && args.isEmpty()) {
            throw new JruncException("process args cannot be empty");
        }
        ExecOptions opts = new ExecOptions(process == null || process.isEmpty() ? null : Path.of(process), args, cwd, env, user,
                additionalGids, caps, noNewPrivs, apparmor, processLabel, tty, detach,
                pidFile == null || pidFile.isEmpty() ? null : Path.of(pidFile), preserveFds, ignorePaused,
                consoleSocket == null || consoleSocket.isEmpty() ? null : consoleSocket, cgroups);
        return parent.jrunc().exec(id, opts);
    }
}
