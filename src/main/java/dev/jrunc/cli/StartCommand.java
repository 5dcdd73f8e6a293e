package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc start ID}: runs the user process of a created container. */
@Command(name = "start", header = {
            "Where \"<container-id>\" is the name of a container made by \"jrunc create\"."},
        description = {"executes the user defined process in a created container", 
        "The start command runs the process that the spec of a created container names."})
final class StartCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        parent.jrunc().start(id);
        return 0;
    }
}
