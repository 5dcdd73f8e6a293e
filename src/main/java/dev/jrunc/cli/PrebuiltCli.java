package dev.jrunc.cli;

import picocli.CommandLine;

/**
 * The command tree of the native image, made when the image is built (the Makefile initialises
 * this class, picocli and dev.jrunc.cli at build time): picocli then reads no annotation and
 * builds no model at run time. Only the native entry point takes it, once per process; the JVM
 * and the tests build a tree per call ({@link Cli#run(String[])}).
 */
public final class PrebuiltCli {
    private static final CommandLine TREE = Cli.commandLine();

    private PrebuiltCli() {}

    /** The tree; a process runs one command line with it. */
    public static CommandLine tree() {
        return TREE;
    }
}
