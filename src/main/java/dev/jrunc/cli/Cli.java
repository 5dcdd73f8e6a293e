package dev.jrunc.cli;

import dev.jrunc.JruncException;
import dev.jrunc.sys.IoErrors;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Builds the command tree, runs it, and turns every failure into runc's error line and exit 1. */
public final class Cli {
    private Cli() {}

    public static int run(String[] args) {
        JruncCommand root = new JruncCommand();
        CommandLine cli = new CommandLine(root);
        // exec ID COMMAND ARGS...: the command's own flags (sh -c) are not jrunc's
        cli.getSubcommands().get("exec").setStopAtPositional(true);
        // runc ps ID -ef: what follows the id goes to ps(1)
        cli.getSubcommands().get("ps").setStopAtPositional(true);
        cli.setExecutionExceptionHandler((e, command, parseResult) -> fail(root, e));
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("Incorrect Usage: " + e.getMessage());
            command.getErr().println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
            command.getErr().flush();
            root.logger().error(e.getMessage());
            return 1;
        });
        return cli.execute(args);
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
