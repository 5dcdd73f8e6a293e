package dev.jrunc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jrunc help [COMMAND]} (alias {@code h}): urfave/cli's help command, which runc has. No
 * argument: the app's help; a command: that command's help (what {@code COMMAND --help} prints);
 * anything else: {@code No help topic for 'x'}, exit 3. Arguments after the first are ignored, as
 * urfave ignores them.
 */
@Command(name = "help", aliases = "h", description = "Shows a list of commands or help for one command")
final class HelpCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Parameters(arity = "0..*", paramLabel = "[command]")
    List<String> topic = new ArrayList<>();

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine app = spec.parent().commandLine();
        if (topic.isEmpty()) {
            app.usage(System.out);
            return 0;
        }
        CommandLine command = app.getSubcommands().get(topic.getFirst());
        if (command == null) {
            return Cli.unknownCommand(parent, topic.getFirst());
        }
        command.usage(System.out);
        return 0;
    }
}
