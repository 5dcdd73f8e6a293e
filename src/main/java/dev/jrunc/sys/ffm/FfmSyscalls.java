package dev.jrunc.sys.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * {@link Syscalls} on the JVM: {@code java.lang.foreign} downcalls into {@code libjrunc.so}
 * (built from {@code src/main/c/libjrunc}). A thin binding: each method calls the C function of
 * the same name, whose result is {@code >= 0} or {@code -errno}. Never reachable from the native
 * image (FFM does not work in images built with our toolchain); there {@code CSyscalls} binds the
 * same functions.
 *
 * <p>The library is the file named by the system property {@value #LIBRARY_PROPERTY}, else
 * {@code native/libjrunc.so} beside the jar (or beside the classes directory), which is where
 * {@code make} puts it ({@code target/native/libjrunc.so}). Downcall handles are made on first
 * use of each call, so a command pays only for the calls it makes.
 */
public final class FfmSyscalls implements Syscalls {
    public static final String LIBRARY_PROPERTY = "jrunc.native.lib";
    static final String LIBRARY_FILE = "libjrunc.so";

    private static final FunctionDescriptor INT = FunctionDescriptor.of(JAVA_INT);
    private static final FunctionDescriptor INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    /** For calls that neither block nor call back: no thread-state transition. */
    private static final Linker.Option[] QUICK = {Linker.Option.critical(false)};
    private static final Linker.Option[] BLOCKING = {};

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup library;
    private MethodHandle getuid, geteuid, getpid, kill, close, socketpair, sendFd, recvFd, pidfdOpen;

    /** Binds the library found by {@link #locateLibrary()}. */
    public FfmSyscalls() {
        this(locateLibrary());
    }

    public FfmSyscalls(Path library) {
        this.library = SymbolLookup.libraryLookup(library, Arena.global());
    }

    @Override
    public int getuid() {
        MethodHandle h = getuid;
        if (h == null) getuid = h = bind("jrunc_getuid", INT, QUICK);
        try {
            return (int) h.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int geteuid() {
        MethodHandle h = geteuid;
        if (h == null) geteuid = h = bind("jrunc_geteuid", INT, QUICK);
        try {
            return (int) h.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int getpid() {
        MethodHandle h = getpid;
        if (h == null) getpid = h = bind("jrunc_getpid", INT, QUICK);
        try {
            return (int) h.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void kill(int pid, int signal) throws ErrnoException {
        MethodHandle h = kill;
        if (h == null) kill = h = bind("jrunc_kill", INT_INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(pid, signal);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("kill", r);
    }

    @Override
    public void close(int fd) throws ErrnoException {
        MethodHandle h = close;
        if (h == null) close = h = bind("jrunc_close", INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("close", r);
    }

    @Override
    public int[] socketpair() throws ErrnoException {
        MethodHandle h = socketpair;
        if (h == null) socketpair = h = bind("jrunc_socketpair", INT_PTR, QUICK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int r;
            try {
                r = (int) h.invokeExact(fds);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check("socketpair", r);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    @Override
    public void sendFd(int socket, int fd) throws ErrnoException {
        MethodHandle h = sendFd;
        if (h == null) sendFd = h = bind("jrunc_send_fd", INT_INT_INT, BLOCKING);
        int r;
        try {
            r = (int) h.invokeExact(socket, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("sendmsg", r);
    }

    @Override
    public int recvFd(int socket) throws ErrnoException {
        MethodHandle h = recvFd;
        if (h == null) recvFd = h = bind("jrunc_recv_fd", INT_INT, BLOCKING);
        int r;
        try {
            r = (int) h.invokeExact(socket);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return check("recvmsg", r);
    }

    @Override
    public int pidfdOpen(int pid) throws ErrnoException {
        MethodHandle h = pidfdOpen;
        if (h == null) pidfdOpen = h = bind("jrunc_pidfd_open", INT_INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(pid, 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return check("pidfd_open", r);
    }

    private static int check(String call, int result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, -result);
        }
        return result;
    }

    private MethodHandle bind(String function, FunctionDescriptor descriptor, Linker.Option[] options) {
        MemorySegment address = library.find(function).orElseThrow(() -> new IllegalStateException(
                LIBRARY_FILE + " has no function " + function + ": rebuild it with make (or point "
                        + LIBRARY_PROPERTY + " at a current build)"));
        return linker.downcallHandle(address, descriptor, options);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            return e;
        }
        return new IllegalStateException("native call failed", t);
    }

    /**
     * The library to bind: the property {@value #LIBRARY_PROPERTY} if set, else
     * {@link #defaultLibrary()}; fails with a message naming the property if the file is missing.
     */
    public static Path locateLibrary() {
        String configured = System.getProperty(LIBRARY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("cannot load " + LIBRARY_FILE + ": " + configured
                        + " (system property " + LIBRARY_PROPERTY + ") does not exist");
            }
            return path;
        }
        Path path = defaultLibrary();
        if (path == null || !Files.isRegularFile(path)) {
            throw new IllegalStateException("cannot load " + LIBRARY_FILE + ": "
                    + (path == null ? "jrunc's jar location is unknown" : path + " does not exist")
                    + "; build it with make, or set the system property " + LIBRARY_PROPERTY
                    + "=/path/to/" + LIBRARY_FILE);
        }
        return path;
    }

    /**
     * {@code native/libjrunc.so} in the directory holding jrunc's jar ({@code target/jrunc.jar}),
     * or holding its classes directory ({@code target/classes}, as in tests); null if unknown.
     */
    public static Path defaultLibrary() {
        CodeSource source = FfmSyscalls.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            Path dir = location.getParent();
            return dir == null ? null : dir.resolve("native").resolve(LIBRARY_FILE);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
