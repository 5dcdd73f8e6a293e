package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc pause ID}. */
@Command(name = "pause", header = {
            "Where \"<container-id>\" is the name of the container to pause."},
        description = {"pause suspends all processes inside the container", 
        "The pause command freezes every process of the container." + "\n"
        + "" + "\n"
        + "\"jrunc list\" shows the containers and their status."})
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
