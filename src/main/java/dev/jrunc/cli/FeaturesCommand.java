package dev.jrunc.cli;

import dev.jrunc.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jrunc features}: runtime-spec features.json of what this build implements. */
@Command(name = "features", description = {"show the enabled features", 
        "Show the enabled features." + "\n"
        + "The result is parsable as a JSON (the runtime-spec features document)."})
final class FeaturesCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().println(Json.indented(parent.jrunc().features(), "    "));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
