package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc delete [--force] ID}. */
@Command(name = "delete", header = {
            "Where \"<container-id>\" is the name of the container.",
            "",
            "EXAMPLE:",
            "To remove the container \"web01\", which \"jrunc list\" shows as stopped, and all it holds:",
            "",
            "       # jrunc delete web01"},
        description = {"delete any resources held by the container often used with detached container"})
final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Option(names = {"-f", "--force"}, arity = "0..1",
            description = "forcibly deletes the container if it is still running (uses SIGKILL)")
    boolean force;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        parent.jrunc().delete(id, force);
        return 0;
    }
}
