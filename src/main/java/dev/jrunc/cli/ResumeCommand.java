package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc resume ID}. */
@Command(name = "resume", header = {
            "Where \"<container-id>\" is the name of the container to resume."},
        description = {"resumes all processes that have been previously paused", 
        "The resume command thaws every process of a paused container." + "\n"
        + "" + "\n"
        + "\"jrunc list\" shows the containers and their status."})
final class ResumeCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        parent.jrunc().resume(id);
        return 0;
    }
}
