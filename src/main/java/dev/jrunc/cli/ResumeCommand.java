package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc resume ID}. */
@Command(name = "resume", description = "resumes all processes that have been previously paused")
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
