package dev.jrunc.sys;

/**
 * The one narrow interface through which jrunc's host side makes system calls that the JDK does
 * not offer. Two bindings implement it with identical behaviour: {@code FfmSyscalls} (the JVM,
 * through {@code java.lang.foreign} and {@code libjrunc.so}) and {@code CSyscalls} (the native
 * image, through GraalVM {@code @CFunction} and the statically linked {@code libjrunc.a}), both
 * thin wrappers of the same C functions ({@code src/main/c/libjrunc/jrunc.h}).
 * {@code FakeSyscalls} in the tests serves code that needs no root. {@code SyscallsContract} in
 * the tests checks both bindings the same way (the C one inside a native image).
 *
 * <p>Every call that can fail throws {@link ErrnoException} carrying the errno the kernel set.
 * Every fd returned is close-on-exec.
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

    /** close(2). */
    void close(int fd) throws ErrnoException;

    /** socketpair(2) of two connected unix stream sockets. */
    int[] socketpair() throws ErrnoException;

    /** Sends {@code fd} over the unix socket {@code socket} (SCM_RIGHTS, with one byte of data). */
    void sendFd(int socket, int fd) throws ErrnoException;

    /**
     * Receives one fd sent by {@link #sendFd}; blocks. {@code ECONNRESET} when the peer closed
     * without sending one, {@code EBADMSG} when data came without an fd.
     */
    int recvFd(int socket) throws ErrnoException;

    /** pidfd_open(2). */
    int pidfdOpen(int pid) throws ErrnoException;
}
