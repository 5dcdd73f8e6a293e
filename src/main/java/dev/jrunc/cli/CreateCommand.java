package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc create [flags] ID}: the container waits in {@code created} until {@code start}. */
@Command(name = "create", description = "create a container")
final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Mixin
    CreateFlags flags;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        parent.jrunc().create(id, flags.toOptions());
        return 0;
    }
}
