package dev.jrunc;

import dev.jrunc.cli.Cli;

/**
 * Entry point of the native image: the {@code @CFunction} binding of the native calls. Must not
 * reach {@code dev.jrunc.sys.ffm} (FFM throws inside images built with our toolchain).
 */
public final class NativeMain {
    private NativeMain() {}

    public static void main(String[] args) {
        Defaults.apply();
        dev.jrunc.sys.Native.install(dev.jrunc.sys.cfunction.CSyscalls::new);
        System.exit(Cli.run(dev.jrunc.cli.PrebuiltCli.tree(), args));
    }
}
