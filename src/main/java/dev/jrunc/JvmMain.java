package dev.jrunc;

import dev.jrunc.cli.Cli;

/** Entry point on the JVM (`make jvm`): the FFM binding of the native calls. */
public final class JvmMain {
    private JvmMain() {}

    public static void main(String[] args) {
        Defaults.apply();
        dev.jrunc.sys.Native.install(dev.jrunc.sys.ffm.FfmSyscalls::new);
        System.exit(Cli.run(args));
    }
}
