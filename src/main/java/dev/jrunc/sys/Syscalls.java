package dev.jrunc.sys;

/**
 * The one narrow interface through which jrunc's host side makes system calls that the JDK does
 * not offer. Two bindings implement it with identical behaviour: {@code FfmSyscalls} (the JVM,
 * through {@code java.lang.foreign} and {@code libjrunc.so}) and {@code CSyscalls} (the native
 * image, through GraalVM {@code @CFunction} and the statically linked {@code libjrunc.a}).
 * {@code FakeSyscalls} in the tests serves code that needs no root.
 *
 * <p>Every call that can fail throws {@link ErrnoException} carrying the errno the kernel set.
 */
public interface Syscalls {

    /** getuid(2). */
    int getuid();

    /** geteuid(2). */
    int geteuid();

    /** getpid(2). */
    int getpid();

    /** kill(2); signal 0 only checks that the process exists and may be signalled. */
    void kill(int pid, int signal) throws ErrnoException;
}
