package dev.jrunc.sys.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;

/**
 * {@link Syscalls} on the JVM: {@code java.lang.foreign} downcalls into {@code libjrunc.so}
 * (built from {@code src/main/c/libjrunc}). A thin binding: each method calls the C function of
 * the same name, whose result is {@code >= 0} or {@code -errno}. Never reachable from the native
 * image (FFM does not work in images built with our toolchain); there {@code CSyscalls} binds the
 * same functions.
 *
 * <p>The library is the file the caller names ({@code Jrunc.builder().nativeLibrary}; the JVM
 * launcher fills it from the system property {@value #LIBRARY_PROPERTY}, read by
 * {@code dev.jrunc.JvmMain}, not here), else {@code native/libjrunc.so} beside the jar (or beside
 * the classes directory), which is where {@code make} puts it ({@code target/native/libjrunc.so}).
 * Downcall handles are made on first use of each call, so a command pays only for the calls it makes.
 */
public final class FfmSyscalls implements Syscalls {
    /** The JVM launcher's way of naming the library ({@code -Djrunc.native.lib=PATH}); read by its entry point only. */
    public static final String LIBRARY_PROPERTY = "jrunc.native.lib";
    static final String LIBRARY_FILE = "libjrunc.so";

    private static final FunctionDescriptor INT = FunctionDescriptor.of(JAVA_INT);
    private static final FunctionDescriptor INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INT_PTR_INT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor INT_INT_PTR_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor INT_INT_INT_PTR = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INT_INT_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_PTR = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INT_INT_PTR_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_PTR_INT_PTR = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    /** Bytes of a struct termios (x86_64 and aarch64 glibc: 60); jrunc_tcgetattr refuses a smaller buffer. */
    private static final int TERMIOS_MAX = 128;
    private static final FunctionDescriptor SPAWN =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
    /** For calls that neither block nor call back: no thread-state transition. */
    private static final Linker.Option[] QUICK = {Linker.Option.critical(false)};
    private static final Linker.Option[] BLOCKING = {};

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup library;
    private MethodHandle geteuid, getpid, kill, close;
    private MethodHandle seqpacketPair, spawn, waitpid, read, write, memfdCreate, sealMemfd, mkfifo, open;
    private MethodHandle connectUnix, bindUnixgram, sendMessage, recvMessage, poll, pidfdOpen, getWinsize, setWinsize, tcgetattr,
            tcsetattr, setRaw, clearOnlcr, openpty;
    private MethodHandle seccompCompile, seccompFlagSupported;
    private MethodHandle bpfLoad, bpfQuery, bpfProgramFd, bpfAttach, bpfDetach;
    /** Bytes kept of the verifier's log when a program is refused. */
    static final int BPF_LOG_SIZE = 64 * 1024;
    private static final FunctionDescriptor BPF_LOAD =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    /** A first guess for a BPF program's size: the kernel's limit, 4096 instructions of 8 bytes. */
    private static final int SECCOMP_PROGRAM_MAX = 4096 * 8;
    private static final FunctionDescriptor SECCOMP_COMPILE =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);

    /** Binds the default library ({@link #defaultLibrary()}). */
    public FfmSyscalls() {
        this(locateLibrary(null));
    }

    public FfmSyscalls(Path library) {
        this.library = SymbolLookup.libraryLookup(library, Arena.global());
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
    public int[] seqpacketPair() throws ErrnoException {
        MethodHandle h = seqpacketPair;
        if (h == null) seqpacketPair = h = bind("jrunc_seqpacket_pair", INT_PTR, QUICK);
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
    public int spawn(String path, List<String> argv, List<String> envp, int[] fdMap) throws ErrnoException {
        MethodHandle h = spawn;
        if (h == null) spawn = h = bind("jrunc_spawn", SPAWN, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = cString(arena, "posix_spawn", path);
            MemorySegment cArgv = cStrings(arena, "posix_spawn", argv);
            MemorySegment cEnvp = cStrings(arena, "posix_spawn", envp);
            MemorySegment map = arena.allocate(JAVA_INT, Math.max(1, fdMap.length));
            MemorySegment.copy(fdMap, 0, map, JAVA_INT, 0, fdMap.length);
            int r;
            try {
                r = (int) h.invokeExact(cPath, cArgv, cEnvp, map, fdMap.length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            return check("posix_spawn", r);
        }
    }

    @Override
    public int waitpid(int pid, boolean noHang) throws ErrnoException {
        MethodHandle h = waitpid;
        if (h == null) waitpid = h = bind("jrunc_waitpid", INT_INT_INT_PTR, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            int r;
            try {
                r = (int) h.invokeExact(pid, noHang ? 1 : 0, status);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            // 0: WNOHANG and no change yet (status untouched); else the pid, with its status
            return check("waitpid", r) == 0 ? -1 : status.get(JAVA_INT, 0);
        }
    }

    @Override
    public byte[] read(int fd, int max) throws ErrnoException {
        MethodHandle h = read;
        if (h == null) read = h = bind("jrunc_read", INT_INT_PTR_INT, BLOCKING);
        // a negative max goes to C too, which refuses it (EINVAL) as the other binding does
        return bytesOut(h, "read", fd, max);
    }

    /** A call {@code (fd, buf, cap)} that fills buf and returns the byte count: those bytes. */
    private static byte[] bytesOut(MethodHandle h, String call, int fd, int cap) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, cap));
            int r;
            try {
                r = (int) h.invokeExact(fd, buf, cap);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            return buf.asSlice(0, check(call, r)).toArray(JAVA_BYTE);
        }
    }

    /** A call {@code (fd, buf, len)} that takes {@code data} in buf. */
    private static void bytesIn(MethodHandle h, String call, int fd, byte[] data) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            int r;
            try {
                r = (int) h.invokeExact(fd, buf, data.length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(call, r);
        }
    }

    @Override
    public void write(int fd, byte[] data) throws ErrnoException {
        MethodHandle h = write;
        if (h == null) write = h = bind("jrunc_write", INT_INT_PTR_INT, BLOCKING);
        bytesIn(h, "write", fd, data);
    }

    @Override
    public int memfdCreate(String name) throws ErrnoException {
        MethodHandle h = memfdCreate;
        if (h == null) memfdCreate = h = bind("jrunc_memfd_create", INT_PTR, QUICK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = cString(arena, "memfd_create", name);
            int r;
            try {
                r = (int) h.invokeExact(cName);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            return check("memfd_create", r);
        }
    }

    @Override
    public void sealMemfd(int fd) throws ErrnoException {
        MethodHandle h = sealMemfd;
        if (h == null) sealMemfd = h = bind("jrunc_seal_memfd", INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("fcntl", r);
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        MethodHandle h = mkfifo;
        if (h == null) mkfifo = h = bind("jrunc_mkfifo", INT_PTR_INT, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = cString(arena, "mkfifo", path);
            int r;
            try {
                r = (int) h.invokeExact(cPath, mode);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check("mkfifo", r);
        }
    }

    @Override
    public int open(String path, int flags) throws ErrnoException {
        MethodHandle h = open;
        if (h == null) open = h = bind("jrunc_open", INT_PTR_INT, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = cString(arena, "open", path);
            int r;
            try {
                r = (int) h.invokeExact(cPath, flags);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            return check("open", r);
        }
    }


    @Override
    public int connectUnix(String path, boolean datagram) throws ErrnoException {
        MethodHandle h = connectUnix;
        if (h == null) connectUnix = h = bind("jrunc_connect_unix", INT_PTR_INT, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = cString(arena, "connect", path);
            int r;
            try {
                r = (int) h.invokeExact(cPath, datagram ? 1 : 0);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            return check("connect", r);
        }
    }

    @Override
    public int bindUnixgram(String path) throws ErrnoException {
        MethodHandle h = bindUnixgram;
        if (h == null) bindUnixgram = h = bind("jrunc_bind_unixgram", INT_PTR, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = cString(arena, "bind", path);
            int r;
            try {
                r = (int) h.invokeExact(cPath);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            return check("bind", r);
        }
    }

    @Override
    public void sendMessage(int socket, byte[] data, int fd) throws ErrnoException {
        MethodHandle h = sendMessage;
        if (h == null) sendMessage = h = bind("jrunc_send_msg_fd", INT_INT_PTR_INT_INT, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            int r;
            try {
                r = (int) h.invokeExact(socket, buf, data.length, fd);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check("sendmsg", r);
        }
    }

    @Override
    public Message recvMessage(int socket, int max) throws ErrnoException {
        MethodHandle h = recvMessage;
        if (h == null) recvMessage = h = bind("jrunc_recv_msg_fd", INT_INT_PTR_INT_PTR, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, max));
            MemorySegment fd = arena.allocate(JAVA_INT);
            int r;
            try {
                r = (int) h.invokeExact(socket, buf, max, fd);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            int n = check("recvmsg", r);
            return new Message(buf.asSlice(0, n).toArray(JAVA_BYTE), fd.get(JAVA_INT, 0));
        }
    }

    @Override
    public int pidfdOpen(int pid) throws ErrnoException {
        MethodHandle h = pidfdOpen;
        if (h == null) pidfdOpen = h = bind("jrunc_pidfd_open", INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(pid);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return check("pidfd_open", r);
    }

    @Override
    public int poll(int fd, int events, int timeoutMs) throws ErrnoException {
        MethodHandle h = poll;
        if (h == null) poll = h = bind("jrunc_poll", INT_INT_INT_INT, BLOCKING);
        int r;
        try {
            r = (int) h.invokeExact(fd, events, timeoutMs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return check("poll", r);
    }

    @Override
    public int[] getWinsize(int fd) throws ErrnoException {
        MethodHandle h = getWinsize;
        if (h == null) getWinsize = h = bind("jrunc_get_winsize", INT_INT_PTR, QUICK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rc = arena.allocate(JAVA_INT, 2);
            int r;
            try {
                r = (int) h.invokeExact(fd, rc);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check("ioctl(TIOCGWINSZ)", r);
            return new int[] {rc.getAtIndex(JAVA_INT, 0), rc.getAtIndex(JAVA_INT, 1)};
        }
    }

    @Override
    public void setWinsize(int fd, int rows, int cols) throws ErrnoException {
        MethodHandle h = setWinsize;
        if (h == null) setWinsize = h = bind("jrunc_set_winsize", INT_INT_INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(fd, rows, cols);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("ioctl(TIOCSWINSZ)", r);
    }

    @Override
    public byte[] tcgetattr(int fd) throws ErrnoException {
        MethodHandle h = tcgetattr;
        if (h == null) tcgetattr = h = bind("jrunc_tcgetattr", INT_INT_PTR_INT, QUICK);
        return bytesOut(h, "tcgetattr", fd, TERMIOS_MAX);
    }

    @Override
    public void tcsetattr(int fd, byte[] attributes) throws ErrnoException {
        MethodHandle h = tcsetattr;
        if (h == null) tcsetattr = h = bind("jrunc_tcsetattr", INT_INT_PTR_INT, BLOCKING);
        bytesIn(h, "tcsetattr", fd, attributes);
    }

    @Override
    public void setRaw(int fd) throws ErrnoException {
        MethodHandle h = setRaw;
        if (h == null) setRaw = h = bind("jrunc_set_raw", INT_INT, BLOCKING);
        int r;
        try {
            r = (int) h.invokeExact(fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("tcsetattr", r);
    }

    @Override
    public void clearOnlcr(int fd) throws ErrnoException {
        MethodHandle h = clearOnlcr;
        if (h == null) clearOnlcr = h = bind("jrunc_clear_onlcr", INT_INT, BLOCKING);
        int r;
        try {
            r = (int) h.invokeExact(fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("tcsetattr", r);
    }

    @Override
    public int[] openpty() throws ErrnoException {
        MethodHandle h = openpty;
        if (h == null) openpty = h = bind("jrunc_openpty", INT_PTR, QUICK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int r;
            try {
                r = (int) h.invokeExact(fds);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check("openpty", r);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /** {@code s} as a NUL-terminated UTF-8 string; EINVAL if it holds a NUL (C would cut it there). */
    private static MemorySegment cString(Arena arena, String call, String s) throws ErrnoException {
        if (s.indexOf('\0') >= 0) {
            throw new ErrnoException(call, Errno.EINVAL);
        }
        return arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    /** {@code strings} as a NULL-terminated array of C strings. */
    private static MemorySegment cStrings(Arena arena, String call, List<String> strings) throws ErrnoException {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, cString(arena, call, strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
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
                        + "the configured library path at a current build)"));
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
     * The library to bind: {@code configured} if not null, else {@link #defaultLibrary()}; fails
     * with a message naming the missing file.
     */
    public static Path locateLibrary(Path configured) {
        if (configured != null) {
            if (!Files.isRegularFile(configured)) {
                throw new IllegalStateException("cannot load " + LIBRARY_FILE + ": " + configured + " does not exist");
            }
            return configured;
        }
        Path path = defaultLibrary();
        if (path == null || !Files.isRegularFile(path)) {
            throw new IllegalStateException("cannot load " + LIBRARY_FILE + ": "
                    + (path == null ? "jrunc's jar location is unknown" : path + " does not exist")
                    + "; build it with make, or configure the path of " + LIBRARY_FILE
                    + " (the JVM launcher: -D" + LIBRARY_PROPERTY + "=PATH)");
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

    @Override
    public byte[] seccompCompile(byte[] filter, int[] where) throws ErrnoException {
        MethodHandle h = seccompCompile;
        if (h == null) seccompCompile = h = bind("jrunc_seccomp_compile", SECCOMP_COMPILE, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(Math.max(1, filter.length));
            MemorySegment.copy(filter, 0, in, JAVA_BYTE, 0, filter.length);
            MemorySegment w = arena.allocate(JAVA_INT, 2);
            int cap = SECCOMP_PROGRAM_MAX;
            for (int attempt = 0; ; attempt++) {
                MemorySegment out = arena.allocate(cap);
                int r;
                try {
                    r = (int) h.invokeExact(in, filter.length, out, cap, w);
                } catch (Throwable t) {
                    throw unexpected(t);
                }
                if (r >= 0) {
                    return out.asSlice(0, r).toArray(JAVA_BYTE);
                }
                if (r == -Errno.ENOSPC && attempt == 0 && w.getAtIndex(JAVA_INT, 1) > cap) {
                    cap = w.getAtIndex(JAVA_INT, 1);
                    continue;
                }
                where[0] = w.getAtIndex(JAVA_INT, 0);
                where[1] = w.getAtIndex(JAVA_INT, 1);
                throw new ErrnoException("seccomp", -r);
            }
        }
    }

    @Override
    public boolean seccompFlagSupported(int flags) {
        MethodHandle h = seccompFlagSupported;
        if (h == null) seccompFlagSupported = h = bind("jrunc_seccomp_flag_supported", INT_INT, QUICK);
        try {
            return (int) h.invokeExact(flags) == 0;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int bpfLoadCgroupDeviceProgram(byte[] insns, String license, StringBuilder log) throws ErrnoException {
        MethodHandle h = bpfLoad;
        if (h == null) bpfLoad = h = bind("jrunc_bpf_prog_load_cgroup_device", BPF_LOAD, BLOCKING);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(Math.max(1, insns.length), 8);
            MemorySegment.copy(insns, 0, in, JAVA_BYTE, 0, insns.length);
            MemorySegment cLicense = cString(arena, "bpf", license);
            MemorySegment buf = arena.allocate(BPF_LOG_SIZE);
            int r;
            try {
                r = (int) h.invokeExact(in, insns.length, cLicense, buf, BPF_LOG_SIZE);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (r < 0) {
                log.append(buf.getString(0, StandardCharsets.UTF_8));
                throw new ErrnoException("bpf", -r);
            }
            return r;
        }
    }

    @Override
    public int bpfQueryCgroupDevice(int cgroupFd, int[] ids) throws ErrnoException {
        MethodHandle h = bpfQuery;
        if (h == null) bpfQuery = h = bind("jrunc_bpf_query_cgroup_device", INT_INT_PTR_INT, QUICK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT, Math.max(1, ids.length));
            int r;
            try {
                r = (int) h.invokeExact(cgroupFd, out, ids.length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check("bpf", r);
            for (int i = 0; i < Math.min(r, ids.length); i++) {
                ids[i] = out.getAtIndex(JAVA_INT, i);
            }
            return r;
        }
    }

    @Override
    public int bpfProgramFd(int id) throws ErrnoException {
        MethodHandle h = bpfProgramFd;
        if (h == null) bpfProgramFd = h = bind("jrunc_bpf_prog_get_fd_by_id", INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(id);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return check("bpf", r);
    }

    @Override
    public void bpfAttachCgroupDevice(int cgroupFd, int progFd, int replaceFd) throws ErrnoException {
        MethodHandle h = bpfAttach;
        if (h == null) bpfAttach = h = bind("jrunc_bpf_attach_cgroup_device", INT_INT_INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(cgroupFd, progFd, replaceFd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("bpf", r);
    }

    @Override
    public void bpfDetachCgroupDevice(int cgroupFd, int progFd) throws ErrnoException {
        MethodHandle h = bpfDetach;
        if (h == null) bpfDetach = h = bind("jrunc_bpf_detach_cgroup_device", INT_INT_INT, QUICK);
        int r;
        try {
            r = (int) h.invokeExact(cgroupFd, progFd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check("bpf", r);
    }
}
