package dev.jrunc.cli;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.Events;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jrunc events [--stats] [--interval 5s] ID}: runc's event lines, one JSON object each:
 * a stats event and exit with {@code --stats}; else a stats event every interval and oom
 * events until the container's cgroup is removed (delete).
 */
@Command(name = "events", header = {
            "Where \"<container-id>\" is the name of the container."},
        description = {"display container events such as OOM notifications, cpu, memory, and IO usage statistics", 
        "The events command shows what happens in the container: its resource usage, by default" + "\n"
        + "every 5 seconds, and OOM notifications."})
final class EventsCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--interval", paramLabel = "value", defaultValue = "5s",
            description = "set the stats collection interval (default: 5s)")
    String interval;

    @Option(names = "--stats", arity = "0..1", description = "display the container's stats then exit")
    boolean stats;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        long ms;
        try {
            ms = Events.parseDuration(interval);
        } catch (IllegalArgumentException e) {
            throw new JruncException("invalid value \"" + interval + "\" for flag -interval: " + e.getMessage());
        }
        if (ms <= 0) {
            throw new JruncException("duration interval must be greater than 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        parent.jrunc().events(id, stats, ms, line -> {
            out.println(line);
            out.flush();
        });
        return 0;
    }
}
