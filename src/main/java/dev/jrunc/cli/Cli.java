package dev.jrunc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Builds the picocli command tree and runs it; returns the process exit status. */
public final class Cli {
    private Cli() {}

    public static int run(String[] args) {
        return new CommandLine(new JruncCommand()).execute(args);
    }

    @Command(name = "jrunc", mixinStandardHelpOptions = true, version = "jrunc 0.1.0")
    static final class JruncCommand implements Runnable {
        @Override
        public void run() {
            CommandLine.usage(this, System.out);
        }
    }
}
