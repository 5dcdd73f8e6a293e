package dev.jrunc.cli;

import dev.jrunc.state.StatusJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jrunc state ID}: the container's state as runc prints it (2-space JSON, no final newline). */
@Command(name = "state", header = {
            "Where \"<container-id>\" is the name of the container."},
        description = {"output the state of a container", 
        "The state command prints the state of the container as JSON."})
final class StateCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().print(StatusJson.state(parent.jrunc().state(id)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
