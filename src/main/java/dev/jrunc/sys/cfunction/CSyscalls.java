package dev.jrunc.sys.cfunction;

import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.graalvm.nativeimage.StackValue;
import org.graalvm.nativeimage.UnmanagedMemory;
import org.graalvm.nativeimage.c.function.CFunction;
import org.graalvm.nativeimage.c.function.CFunction.Transition;
import org.graalvm.nativeimage.c.function.CLibrary;
import org.graalvm.nativeimage.c.type.CCharPointer;
import org.graalvm.nativeimage.c.type.CCharPointerPointer;
import org.graalvm.nativeimage.c.type.CIntPointer;
import org.graalvm.nativeimage.c.type.CTypeConversion;

/**
 * {@link Syscalls} in the native image: GraalVM {@code @CFunction} calls into {@code libjrunc.a}
 * (built from {@code src/main/c/libjrunc}, linked statically: {@code @CLibrary("jrunc")} with the
 * directory holding only {@code libjrunc.a} on {@code -H:CLibraryPath}). A thin binding, the twin
 * of {@code FfmSyscalls}: each method calls the C function of the same name, whose result is
 * {@code >= 0} or {@code -errno}. Only {@code dev.jrunc.NativeMain} refers to this class; it is
 * never loaded on the JVM (it needs the image's C interface).
 *
 * <p>Strings, string arrays and buffers are copied into {@link UnmanagedMemory} (strings as
 * UTF-8, like the FFM binding) and freed before the method returns.
 */
@CLibrary("jrunc")
public final class CSyscalls implements Syscalls {
    /** Bytes in a C pointer: native images are 64-bit only. */
    private static final int POINTER_SIZE = Long.BYTES;

    // Calls that neither block nor call back skip the thread-state transition.
    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_geteuid();

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_getpid();

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_kill(int pid, int sig);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_close(int fd);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_seqpacket_pair(CIntPointer fds);

    // blocks until the child has exec'd (or failed to)
    @CFunction
    private static native int jrunc_spawn(CCharPointer path, CCharPointerPointer argv, CCharPointerPointer envp,
            CIntPointer fdMap, int n);

    @CFunction
    private static native int jrunc_waitpid(int pid, int nohang, CIntPointer status);

    @CFunction
    private static native int jrunc_read(int fd, CCharPointer buf, int len);

    @CFunction
    private static native int jrunc_write(int fd, CCharPointer buf, int len);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_memfd_create(CCharPointer name);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_seal_memfd(int fd);

    @CFunction
    private static native int jrunc_mkfifo(CCharPointer path, int mode);

    // may block (a fifo opened without O_NONBLOCK or O_PATH waits for its peer)
    @CFunction
    private static native int jrunc_open(CCharPointer path, int flags);

    @CFunction
    private static native int jrunc_connect_unix(CCharPointer path, int dgram);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_bind_unixgram(CCharPointer path);

    @CFunction
    private static native int jrunc_send_msg_fd(int sock, CCharPointer buf, int len, int fd);

    @CFunction
    private static native int jrunc_recv_msg_fd(int sock, CCharPointer buf, int len, CIntPointer fd);

    @CFunction
    private static native int jrunc_poll(int fd, int events, int timeoutMs);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_pidfd_open(int pid);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_get_winsize(int fd, CIntPointer rowcol);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_set_winsize(int fd, int rows, int cols);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_tcgetattr(int fd, CCharPointer buf, int len);

    // TCSANOW may wait for output to drain on some drivers
    @CFunction
    private static native int jrunc_tcsetattr(int fd, CCharPointer buf, int len);

    @CFunction
    private static native int jrunc_set_raw(int fd);

    @CFunction
    private static native int jrunc_clear_onlcr(int fd);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_openpty(CIntPointer fds);

    /** A first guess for a BPF program's size: the kernel's limit, 4096 instructions of 8 bytes. */
    private static final int SECCOMP_PROGRAM_MAX = 4096 * 8;

    // libseccomp's compiler (linked into libjrunc.a); no blocking, but not short either
    @CFunction
    private static native int jrunc_seccomp_compile(CCharPointer filter, int len, CCharPointer out, int cap, CIntPointer where);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_seccomp_flag_supported(int flags);

    /** Bytes of a struct termios (x86_64 and aarch64 glibc: 60); jrunc_tcgetattr refuses a smaller buffer. */
    private static final int TERMIOS_MAX = 128;

    /** Bytes kept of the verifier's log when a program is refused. */
    private static final int BPF_LOG_SIZE = 64 * 1024;

    // the verifier runs in the call: not short
    @CFunction
    private static native int jrunc_bpf_prog_load_cgroup_device(CCharPointer insns, int len, CCharPointer license, CCharPointer log,
            int logSize);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_bpf_query_cgroup_device(int cgroupFd, CIntPointer ids, int cap);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_bpf_prog_get_fd_by_id(int id);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_bpf_attach_cgroup_device(int cgroupFd, int progFd, int replaceFd);

    @CFunction(transition = Transition.NO_TRANSITION)
    private static native int jrunc_bpf_detach_cgroup_device(int cgroupFd, int progFd);


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
    public int[] seqpacketPair() throws ErrnoException {
        CIntPointer fds = StackValue.get(2, CIntPointer.class);
        check("socketpair", jrunc_seqpacket_pair(fds));
        return new int[] {fds.read(0), fds.read(1)};
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> envp, int[] fdMap) throws ErrnoException {
        CCharPointer cPath = cString("posix_spawn", path);
        try {
            CCharPointerPointer cArgv = cStrings("posix_spawn", argv);
            try {
                CCharPointerPointer cEnvp = cStrings("posix_spawn", envp);
                try {
                    CIntPointer map = UnmanagedMemory.malloc(Math.max(1, fdMap.length) * Integer.BYTES);
                    try {
                        for (int i = 0; i < fdMap.length; i++) {
                            map.write(i, fdMap[i]);
                        }
                        return check("posix_spawn", jrunc_spawn(cPath, cArgv, cEnvp, map, fdMap.length));
                    } finally {
                        UnmanagedMemory.free(map);
                    }
                } finally {
                    freeStrings(cEnvp);
                }
            } finally {
                freeStrings(cArgv);
            }
        } finally {
            UnmanagedMemory.free(cPath);
        }
    }

    @Override
    public int waitpid(int pid, boolean noHang) throws ErrnoException {
        CIntPointer status = StackValue.get(CIntPointer.class);
        // 0: WNOHANG and no change yet (status untouched); else the pid, with its status
        return check("waitpid", jrunc_waitpid(pid, noHang ? 1 : 0, status)) == 0 ? -1 : status.read();
    }

    @Override
    public byte[] read(int fd, int max) throws ErrnoException {
        // a negative max goes to C too, which refuses it (EINVAL) as the other binding does
        CCharPointer buf = UnmanagedMemory.malloc(Math.max(1, max));
        try {
            int n = check("read", jrunc_read(fd, buf, max));
            byte[] data = new byte[n];
            CTypeConversion.asByteBuffer(buf, n).get(data);
            return data;
        } finally {
            UnmanagedMemory.free(buf);
        }
    }

    @Override
    public void write(int fd, byte[] data) throws ErrnoException {
        CCharPointer buf = UnmanagedMemory.malloc(Math.max(1, data.length));
        try {
            CTypeConversion.asByteBuffer(buf, data.length).put(data);
            check("write", jrunc_write(fd, buf, data.length));
        } finally {
            UnmanagedMemory.free(buf);
        }
    }

    @Override
    public int memfdCreate(String name) throws ErrnoException {
        CCharPointer cName = cString("memfd_create", name);
        try {
            return check("memfd_create", jrunc_memfd_create(cName));
        } finally {
            UnmanagedMemory.free(cName);
        }
    }

    @Override
    public void sealMemfd(int fd) throws ErrnoException {
        check("fcntl", jrunc_seal_memfd(fd));
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        CCharPointer cPath = cString("mkfifo", path);
        try {
            check("mkfifo", jrunc_mkfifo(cPath, mode));
        } finally {
            UnmanagedMemory.free(cPath);
        }
    }

    @Override
    public int open(String path, int flags) throws ErrnoException {
        CCharPointer cPath = cString("open", path);
        try {
            return check("open", jrunc_open(cPath, flags));
        } finally {
            UnmanagedMemory.free(cPath);
        }
    }


    @Override
    public int connectUnix(String path, boolean datagram) throws ErrnoException {
        CCharPointer cPath = cString("connect", path);
        try {
            return check("connect", jrunc_connect_unix(cPath, datagram ? 1 : 0));
        } finally {
            UnmanagedMemory.free(cPath);
        }
    }

    @Override
    public int bindUnixgram(String path) throws ErrnoException {
        CCharPointer cPath = cString("bind", path);
        try {
            return check("bind", jrunc_bind_unixgram(cPath));
        } finally {
            UnmanagedMemory.free(cPath);
        }
    }

    @Override
    public void sendMessage(int socket, byte[] data, int fd) throws ErrnoException {
        CCharPointer buf = UnmanagedMemory.malloc(Math.max(1, data.length));
        try {
            CTypeConversion.asByteBuffer(buf, data.length).put(data);
            check("sendmsg", jrunc_send_msg_fd(socket, buf, data.length, fd));
        } finally {
            UnmanagedMemory.free(buf);
        }
    }

    @Override
    public Message recvMessage(int socket, int max) throws ErrnoException {
        CCharPointer buf = UnmanagedMemory.malloc(Math.max(1, max));
        try {
            CIntPointer fd = StackValue.get(CIntPointer.class);
            int n = check("recvmsg", jrunc_recv_msg_fd(socket, buf, max, fd));
            byte[] data = new byte[n];
            CTypeConversion.asByteBuffer(buf, n).get(data);
            return new Message(data, fd.read());
        } finally {
            UnmanagedMemory.free(buf);
        }
    }

    @Override
    public int pidfdOpen(int pid) throws ErrnoException {
        return check("pidfd_open", jrunc_pidfd_open(pid));
    }

    @Override
    public int poll(int fd, int events, int timeoutMs) throws ErrnoException {
        return check("poll", jrunc_poll(fd, events, timeoutMs));
    }

    @Override
    public int[] getWinsize(int fd) throws ErrnoException {
        CIntPointer rc = StackValue.get(2, CIntPointer.class);
        check("ioctl(TIOCGWINSZ)", jrunc_get_winsize(fd, rc));
        return new int[] {rc.read(0), rc.read(1)};
    }

    @Override
    public void setWinsize(int fd, int rows, int cols) throws ErrnoException {
        check("ioctl(TIOCSWINSZ)", jrunc_set_winsize(fd, rows, cols));
    }

    @Override
    public byte[] tcgetattr(int fd) throws ErrnoException {
        CCharPointer buf = UnmanagedMemory.malloc(TERMIOS_MAX);
        try {
            int n = check("tcgetattr", jrunc_tcgetattr(fd, buf, TERMIOS_MAX));
            byte[] data = new byte[n];
            CTypeConversion.asByteBuffer(buf, n).get(data);
            return data;
        } finally {
            UnmanagedMemory.free(buf);
        }
    }

    @Override
    public void tcsetattr(int fd, byte[] attributes) throws ErrnoException {
        CCharPointer buf = UnmanagedMemory.malloc(Math.max(1, attributes.length));
        try {
            CTypeConversion.asByteBuffer(buf, attributes.length).put(attributes);
            check("tcsetattr", jrunc_tcsetattr(fd, buf, attributes.length));
        } finally {
            UnmanagedMemory.free(buf);
        }
    }

    @Override
    public void setRaw(int fd) throws ErrnoException {
        check("tcsetattr", jrunc_set_raw(fd));
    }

    @Override
    public void clearOnlcr(int fd) throws ErrnoException {
        check("tcsetattr", jrunc_clear_onlcr(fd));
    }

    @Override
    public int[] openpty() throws ErrnoException {
        CIntPointer fds = StackValue.get(2, CIntPointer.class);
        check("openpty", jrunc_openpty(fds));
        return new int[] {fds.read(0), fds.read(1)};
    }

    /**
     * {@code s} as a NUL-terminated UTF-8 string in unmanaged memory (the caller frees it); EINVAL
     * if it holds a NUL (C would cut it there).
     */
    private static CCharPointer cString(String call, String s) throws ErrnoException {
        if (s.indexOf('\0') >= 0) {
            throw new ErrnoException(call, Errno.EINVAL);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        CCharPointer p = UnmanagedMemory.malloc(bytes.length + 1);
        CTypeConversion.asByteBuffer(p, bytes.length + 1).put(bytes).put((byte) 0);
        return p;
    }

    /**
     * {@code strings} as a NULL-terminated array of C strings in unmanaged memory; the caller frees
     * it with {@link #freeStrings}. Nothing is left allocated when it throws.
     */
    private static CCharPointerPointer cStrings(String call, List<String> strings) throws ErrnoException {
        for (String s : strings) {
            if (s.indexOf('\0') >= 0) {
                throw new ErrnoException(call, Errno.EINVAL);
            }
        }
        // calloc: NULL-terminated, and every slot NULL until filled (freeStrings stops at the first)
        CCharPointerPointer array = UnmanagedMemory.calloc((strings.size() + 1) * POINTER_SIZE);
        try {
            for (int i = 0; i < strings.size(); i++) {
                array.write(i, cString(call, strings.get(i)));
            }
        } catch (Throwable t) { // OutOfMemoryError from malloc
            freeStrings(array);
            throw t;
        }
        return array;
    }

    /** Frees an array made by {@link #cStrings} and its strings. */
    private static void freeStrings(CCharPointerPointer array) {
        for (int i = 0; array.read(i).isNonNull(); i++) {
            UnmanagedMemory.free(array.read(i));
        }
        UnmanagedMemory.free(array);
    }

    private static int check(String call, int result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, -result);
        }
        return result;
    }

    @Override
    public byte[] seccompCompile(byte[] filter, int[] where) throws ErrnoException {
        CCharPointer in = UnmanagedMemory.malloc(Math.max(1, filter.length));
        CIntPointer w = StackValue.get(2, CIntPointer.class);
        try {
            CTypeConversion.asByteBuffer(in, filter.length).put(filter);
            int cap = SECCOMP_PROGRAM_MAX;
            for (int attempt = 0; ; attempt++) {
                CCharPointer out = UnmanagedMemory.malloc(cap);
                try {
                    int r = jrunc_seccomp_compile(in, filter.length, out, cap, w);
                    if (r >= 0) {
                        byte[] program = new byte[r];
                        CTypeConversion.asByteBuffer(out, r).get(program);
                        return program;
                    }
                    if (r == -Errno.ENOSPC && attempt == 0 && w.read(1) > cap) {
                        cap = w.read(1);
                        continue;
                    }
                    where[0] = w.read(0);
                    where[1] = w.read(1);
                    throw new ErrnoException("seccomp", -r);
                } finally {
                    UnmanagedMemory.free(out);
                }
            }
        } finally {
            UnmanagedMemory.free(in);
        }
    }

    @Override
    public boolean seccompFlagSupported(int flags) {
        return jrunc_seccomp_flag_supported(flags) == 0;
    }

    @Override
    public int bpfLoadCgroupDeviceProgram(byte[] insns, String license, StringBuilder log) throws ErrnoException {
        // word types are never null-compared: the license is converted first, then the buffers
        CCharPointer cLicense = cString("bpf", license);
        CCharPointer in = UnmanagedMemory.malloc(Math.max(1, insns.length));
        CCharPointer buf = UnmanagedMemory.malloc(BPF_LOG_SIZE);
        try {
            CTypeConversion.asByteBuffer(in, insns.length).put(insns);
            int r = jrunc_bpf_prog_load_cgroup_device(in, insns.length, cLicense, buf, BPF_LOG_SIZE);
            if (r < 0) {
                byte[] text = new byte[BPF_LOG_SIZE];
                CTypeConversion.asByteBuffer(buf, BPF_LOG_SIZE).get(text);
                int n = 0;
                while (n < text.length && text[n] != 0) {
                    n++;
                }
                log.append(new String(text, 0, n, StandardCharsets.UTF_8));
                throw new ErrnoException("bpf", -r);
            }
            return r;
        } finally {
            UnmanagedMemory.free(in);
            UnmanagedMemory.free(cLicense);
            UnmanagedMemory.free(buf);
        }
    }

    @Override
    public int bpfQueryCgroupDevice(int cgroupFd, int[] ids) throws ErrnoException {
        CIntPointer out = UnmanagedMemory.malloc(Math.max(1, ids.length) * Integer.BYTES);
        try {
            int r = check("bpf", jrunc_bpf_query_cgroup_device(cgroupFd, out, ids.length));
            for (int i = 0; i < Math.min(r, ids.length); i++) {
                ids[i] = out.read(i);
            }
            return r;
        } finally {
            UnmanagedMemory.free(out);
        }
    }

    @Override
    public int bpfProgramFd(int id) throws ErrnoException {
        return check("bpf", jrunc_bpf_prog_get_fd_by_id(id));
    }

    @Override
    public void bpfAttachCgroupDevice(int cgroupFd, int progFd, int replaceFd) throws ErrnoException {
        check("bpf", jrunc_bpf_attach_cgroup_device(cgroupFd, progFd, replaceFd));
    }

    @Override
    public void bpfDetachCgroupDevice(int cgroupFd, int progFd) throws ErrnoException {
        check("bpf", jrunc_bpf_detach_cgroup_device(cgroupFd, progFd));
    }
}
