package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc create [flags] ID}: the container waits in {@code created} until {@code start}. */
@Command(name = "create",
        header = {
            "Where \"<container-id>\" names the new container instance: a name of your choosing,",
            "unique among the containers of the state root."},
        description = {"create a container",
    "The create command creates an instance of a container for a bundle. The bundle is a directory\n"
    + "with a specification file named \"config.json\" and a root filesystem. The container waits\n"
    + "in its init until \"jrunc start\" runs the process the args parameter of the spec names."})
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
