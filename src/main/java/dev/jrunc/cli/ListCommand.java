package dev.jrunc.cli;

import dev.jrunc.JruncException;
import dev.jrunc.api.ContainerListing;
import dev.jrunc.state.StatusJson;
import dev.jrunc.state.model.ContainerStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jrunc list [--format table|json] [-q]}: runc's table, json array ({@code null} when empty) or ids. */
@Command(name = "list", header = {
            "Where the root is the global option \"--root\" (default: \"/run/jrunc\").",
            "",
            "EXAMPLE 1:",
            "To list the containers of the default root:",
            "       # jrunc list",
            "",
            "EXAMPLE 2:",
            "To list the containers of another root:",
            "       # jrunc --root DIR list"},
        description = {"lists containers started by jrunc with the given root"})
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "select one of: table or json (default: \"table\")")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "display only container IDs")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new JruncException("invalid format option");
        }
        List<ContainerListing> rows = parent.jrunc().list();
        PrintWriter out = spec.commandLine().getOut();
        if (quiet) {
            rows.forEach(r -> out.println(r.status().id()));
        } else if (format.equals("json")) {
            out.println(StatusJson.list(rows));
        } else {
            out.print(table(rows));
        }
        out.flush();
        return 0;
    }

    static String table(List<ContainerListing> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"});
        for (ContainerListing row : rows) {
            ContainerStatus s = row.status();
            lines.add(new String[] {s.id(), Integer.toString(s.pid()), s.status().text(), s.bundle(), s.created(), row.owner()});
        }
        return TabWriter.format(lines);
    }
}
