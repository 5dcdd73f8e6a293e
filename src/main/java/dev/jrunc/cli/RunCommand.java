package dev.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc run [flags] ID}: create + start, and in the foreground wait and exit with the process's status. */
@Command(name = "run", header = {
            "Where \"<container-id>\" names the new container instance: a name of your choosing,",
            "unique among the containers of the state root."},
        description = {"create and run a container", 
        "The run command makes an instance of a container for a bundle and runs its process:" + "\n"
        + "create and start in one. The bundle is a directory holding a specification file named" + "\n"
        + "\"config.json\" and a root filesystem." + "\n"
        + "" + "\n"
        + "The args parameter of the spec names the command that runs; edit it to run another." + "\n"
        + "See \"jrunc spec --help\"."})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Mixin
    CreateFlags flags;

    @Option(names = {"-d", "--detach"}, arity = "0..1", description = "detach from the container's process")
    boolean detach;

    @Option(names = "--keep", arity = "0..1", description = "do not delete the container after it exits")
    boolean keep;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        return parent.jrunc().run(id, flags.toOptions(), detach, keep);
    }
}
