package dev.jrunc.cli;

import dev.jrunc.JruncException;
import dev.jrunc.sys.IoErrors;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Builds the command tree, runs it, and turns every failure into runc's error line and exit 1. */
public final class Cli {
    private Cli() {}

    /** Runs one command line with a command tree of its own. */
    public static int run(String[] args) {
        return run(commandLine(), args);
    }

    /**
     * Runs one command line with {@code cli}, a tree from {@link #commandLine()} that no other
     * call has used (the commands keep what they parsed and made). {@code --version} alone is
     * answered without the tree: engines ask for it often, and it prints the same bytes.
     */
    public static int run(CommandLine cli, String[] args) {
        if (args.length == 1 && ("--version".equals(args[0]) || "-v".equals(args[0]))) {
            System.out.print(dev.jrunc.Version.banner());
            System.out.flush();
            return System.out.checkError() ? 1 : 0;
        }
        return cli.execute(args);
    }

    /**
     * The command tree: picocli's model of every command, read from their annotations, with
     * jrunc's error handling. Building it is most of a short command's work in the native image,
     * which therefore builds it once, at image build time ({@link PrebuiltCli}).
     */
    public static CommandLine commandLine() {
        JruncCommand root = new JruncCommand();
        CommandLine cli = new CommandLine(root);
        // exec ID COMMAND ARGS...: the command's own flags (sh -c) are not jrunc's
        cli.getSubcommands().get("exec").setStopAtPositional(true);
        // runc ps ID -ef: what follows the id goes to ps(1)
        cli.getSubcommands().get("ps").setStopAtPositional(true);
        UrfaveHelp.install(cli);
        cli.setExecutionExceptionHandler((e, command, parseResult) -> fail(root, e));
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine command = e.getCommandLine();
            String unknown = unknownCommand(e, command == cli);
            if (unknown != null) {
                return unknownCommand(root, unknown);
            }
            command.getErr().println("Incorrect Usage: " + e.getMessage());
            command.getErr().println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
            command.getErr().flush();
            root.logger().error(e.getMessage());
            return 1;
        });
        // `jrunc foo -h`: picocli shows the help when -h is there, whatever else is unmatched
        cli.setExecutionStrategy(parseResult -> {
            if (parseResult.subcommand() == null) {
                for (String a : parseResult.unmatched()) {
                    if (!a.startsWith("-")) {
                        return unknownCommand(root, a);
                    }
                }
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cli;
    }

    /** runc's commands jrunc does not have (CRIU): named as such rather than as unknown. */
    private static final java.util.Set<String> UNSUPPORTED = java.util.Set.of("checkpoint", "restore");

    /** The command name of an unmatched first argument of the app (not an option), else null. */
    static String unknownCommand(CommandLine.ParameterException e, boolean atRoot) {
        if (!atRoot || !(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return null;
        }
        String first = u.getUnmatched().getFirst();
        return first.startsWith("-") ? null : first;
    }

    /**
     * urfave/cli's answer to an unknown command (with or without -h): {@code No help topic for
     * 'foo'} (its message ends with a newline, which the log line shows as {@code \n}), exit 3.
     * runc's checkpoint and restore exist but need CRIU, which jrunc has no support for.
     */
    static int unknownCommand(JruncCommand root, String name) {
        if (UNSUPPORTED.contains(name)) {
            root.logger().error("not supported yet: " + name + " (jrunc has no CRIU support)");
            return 1;
        }
        root.logger().error("No help topic for '" + name + "'\n");
        return 3;
    }

    /**
     * A {@link JruncException} is already in runc's words. Anything else is a bug of jrunc's: one
     * line without a Java class name ({@code internal error: no such file or directory}), and the
     * stack trace only under {@code --debug}, where someone is looking for the cause and a bug
     * report needs it.
     */
    private static int fail(JruncCommand root, Exception e) {
        if (e instanceof JruncException) {
            root.logger().error(e.getMessage());
        } else {
            root.logger().error(internalError(e));
            if (root.logger().debugEnabled()) {
                e.printStackTrace();
            }
        }
        return 1;
    }

    /** The one line for a failure jrunc did not expect: what went wrong, without a Java class name. */
    static String internalError(Throwable e) {
        return "internal error: " + IoErrors.message(e instanceof UncheckedIOException u ? u.getCause() : e);
    }
}
