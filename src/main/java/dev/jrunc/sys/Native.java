package dev.jrunc.sys;

import java.util.function.Supplier;

/**
 * Holds the {@link Syscalls} binding of this process. The entry point chooses it
 * ({@code dev.jrunc.JvmMain} installs the FFM binding, {@code dev.jrunc.NativeMain} the
 * {@code @CFunction} one), so that neither binding is reachable from the other mode: the native
 * image never sees FFM, the JVM never loads GraalVM's SDK.
 */
public final class Native {
    private static Supplier<? extends Syscalls> factory = () -> {
        throw new IllegalStateException("no Syscalls binding installed by the entry point");
    };
    private static Syscalls instance;

    private Native() {}

    public static synchronized void install(Supplier<? extends Syscalls> bindingFactory) {
        factory = bindingFactory;
        instance = null;
    }

    /** The binding, created on first use (so commands that make no native call pay nothing). */
    public static synchronized Syscalls syscalls() {
        if (instance == null) {
            instance = factory.get();
        }
        return instance;
    }
}
