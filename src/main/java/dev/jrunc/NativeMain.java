package dev.jrunc;

import dev.jrunc.cli.Cli;

/** Entry point of the native image: the {@code @CFunction} binding of the native calls. */
public final class NativeMain {
    private NativeMain() {}

    public static void main(String[] args) {
        dev.jrunc.sys.Native.install(dev.jrunc.sys.cfunction.CSyscalls::new);
        System.exit(Cli.run(args));
    }
}
