package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc pause ID}. */
@Command(name = "pause", description = "pause suspends all processes inside the container")
final class PauseCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        parent.jrunc().pause(id);
        return 0;
    }
}
