package dev.jrunc.cli;

import dev.jrunc.process.Signals;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc kill [--all] ID [SIGNAL]}: SIGNAL by name (with or without SIG) or number, default SIGTERM. */
@Command(name = "kill", header = {
            "Where \"<container-id>\" is the name of the container and \"[signal]\" the signal sent to its",
            "init process, by name (KILL, SIGKILL) or number.",
            "",
            "EXAMPLE:",
            "To send SIGKILL to the init process of the container \"web01\":",
            "",
            "       # jrunc kill web01 KILL"},
        description = {"kill sends the specified signal (default: SIGTERM) to the container's init process"})
final class KillCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Option(names = {"-a", "--all"}, arity = "0..1", description = "send the specified signal to all processes inside the container")
    boolean all;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "[signal]", defaultValue = "SIGTERM")
    String signal;

    @Override
    public Integer call() throws Exception {
        // runc: an empty signal argument is the default, SIGTERM
        int number = Signals.parse(signal.isEmpty() ? "SIGTERM" : signal);
        parent.jrunc().kill(id, number, all);
        return 0;
    }
}
