package dev.jrunc.cli;

import dev.jrunc.spec.validate.Violation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jrunc validate [--bundle DIR]} (jrunc's own; runc has none): the checks {@code create}
 * makes before any side effect, every violation listed as {@code JSON-POINTER: expectation}.
 */
@Command(name = "validate", description = "check a bundle's config.json against runtime-spec " + dev.jrunc.Version.OCI_SPEC
        + " without creating anything")
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", description = "path to the root of the bundle directory")
    String bundle;

    @Override
    public Integer call() throws Exception {
        Path dir = Path.of(bundle == null || bundle.isEmpty() ? "." : bundle);
        List<Violation> violations = parent.jrunc().validate(dir);
        if (violations.isEmpty()) {
            spec.commandLine().getOut().println("config.json: valid");
            spec.commandLine().getOut().flush();
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (Violation v : violations) {
            err.println("config.json: " + v);
        }
        err.flush();
        parent.logger().error("invalid config.json: " + violations.size() + (violations.size() == 1 ? " error" : " errors"));
        return 1;
    }
}
