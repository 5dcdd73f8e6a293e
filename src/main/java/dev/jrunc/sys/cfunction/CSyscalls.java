package dev.jrunc.sys.cfunction;

import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import org.graalvm.nativeimage.StackValue;
import org.graalvm.nativeimage.c.function.CFunction;
import org.graalvm.nativeimage.c.function.CFunction.Transition;
import org.graalvm.nativeimage.c.function.CLibrary;
import org.graalvm.nativeimage.c.type.CIntPointer;

/**
 * {@link Syscalls} in the native image: GraalVM {@code @CFunction} calls into {@code libjrunc.a}
 * (built from {@code src/main/c/libjrunc}, linked statically: {@code @CLibrary("jrunc")} with the
 * directory holding only {@code libjrunc.a} on {@code -H:CLibraryPath}). A thin binding, the twin
 * of {@code FfmSyscalls}: each method calls the C function of the same name, whose result is
 * {@code >= 0} or {@code -errno}. Only {@code dev.jrunc.NativeMain} refers to this class; it is
 * never loaded on the JVM (it needs the image's C interface).
 */
@CLibrary("jrunc")
public final class CSyscalls implements Syscalls {

    // Calls that neither block nor call back skip the thread-state transition.
    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_getuid();

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_geteuid();

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_getpid();

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_kill(int pid, int sig);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_close(int fd);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_socketpair(CIntPointer fds);

    @CFunction
    private static native int jrunc_send_fd(int sock, int fd);

    @CFunction
    private static native int jrunc_recv_fd(int sock);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_pidfd_open(int pid, int flags);

    @Override
    public int getuid() {
        return jrunc_getuid();
    }

    @Override
    public int geteuid() {
        return jrunc_geteuid();
    }

    @Override
    public int getpid() {
        return jrunc_getpid();
    }

    @Override
    public void kill(int pid, int signal) throws ErrnoException {
        check("kill", jrunc_kill(pid, signal));
    }

    @Override
    public void close(int fd) throws ErrnoException {
        check("close", jrunc_close(fd));
    }

    @Override
    public int[] socketpair() throws ErrnoException {
        CIntPointer fds = StackValue.get(2, CIntPointer.class);
        check("socketpair", jrunc_socketpair(fds));
        return new int[] {fds.read(0), fds.read(1)};
    }

    @Override
    public void sendFd(int socket, int fd) throws ErrnoException {
        check("sendmsg", jrunc_send_fd(socket, fd));
    }

    @Override
    public int recvFd(int socket) throws ErrnoException {
        return check("recvmsg", jrunc_recv_fd(socket));
    }

    @Override
    public int pidfdOpen(int pid) throws ErrnoException {
        return check("pidfd_open", jrunc_pidfd_open(pid, 0));
    }

    private static int check(String call, int result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, -result);
        }
        return result;
    }
}
