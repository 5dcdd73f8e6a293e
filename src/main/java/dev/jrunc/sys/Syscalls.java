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

    /** geteuid(2). */
    int geteuid();

    /** getpid(2). */
    int getpid();

    /** kill(2); signal 0 only checks that the process exists and may be signalled. */
    void kill(int pid, int signal) throws ErrnoException;

    /** close(2). */
    void close(int fd) throws ErrnoException;

    // --- process lifecycle (spawning jrunc-init and talking to it) ---

    /** socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC): one message per write, as jrunc-init's sync protocol wants. */
    int[] seqpacketPair() throws ErrnoException;

    /**
     * posix_spawn(3) of {@code path} with exactly {@code argv} and {@code envp}: the child gets
     * {@code fdMap[i]} as its fd {@code i} ({@code -1}: fd {@code i} is closed) and no other fd
     * (every fd from {@code fdMap.length} up is closed), whatever the fd numbers involved (a
     * source may equal another target). Signal mask and dispositions are reset to defaults
     * (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF). Returns the child's pid.
     */
    int spawn(String path, java.util.List<String> argv, java.util.List<String> envp, int[] fdMap) throws ErrnoException;

    /**
     * waitpid(2) for one child, EINTR retried: the raw wait status; with {@code noHang}, -1 while
     * it has not changed state. ECHILD when it is not (or no longer) our child.
     */
    int waitpid(int pid, boolean noHang) throws ErrnoException;

    /** read(2) of at most {@code max} bytes (one datagram on a SEQPACKET socket), EINTR retried; empty at EOF. */
    byte[] read(int fd, int max) throws ErrnoException;

    /** write(2) of the whole buffer (one datagram on a SEQPACKET socket), EINTR retried. */
    void write(int fd, byte[] data) throws ErrnoException;

    /** memfd_create(2) with MFD_CLOEXEC | MFD_ALLOW_SEALING; returns the fd. */
    int memfdCreate(String name) throws ErrnoException;

    /** Adds seals (F_ADD_SEALS: F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) to a memfd. */
    void sealMemfd(int fd) throws ErrnoException;

    /** mkfifo(3) with exactly {@code mode} (the umask does not apply: fchmodat afterwards). */
    void mkfifo(String path, int mode) throws ErrnoException;

    /** open(2) with {@code flags | O_CLOEXEC}, mode 0; returns the fd. Flags are Linux's numbers (O_PATH = 010000000). */
    int open(String path, int flags) throws ErrnoException;

    // --- seccomp (libseccomp in jrunc's process; the init only loads the program) ---

    /**
     * Compiles a filter given in the flat encoding of {@code jrunc_seccomp_compile} (see
     * {@code jrunc.h}; made by {@code dev.jrunc.plan.SeccompCompiler}) into a classic BPF program
     * (an array of {@code struct sock_filter}, 8 bytes each). On failure {@code where[0]} is the
     * stage that failed ({@code JRUNC_SC_*}: 1 encoding, 2 default action, 3 unknown arch name, 4
     * arch, 5 rule, 6 export) and {@code where[1]} the arch or rule index, or -1.
     */
    byte[] seccompCompile(byte[] filter, int[] where) throws ErrnoException;

    /** Whether the kernel accepts these SECCOMP_FILTER_FLAG_* bits (probed; nothing is installed). */
    boolean seccompFlagSupported(int flags);

    /**
     * Connects to the unix stream socket at {@code path} and sends {@code data} with {@code fd}
     * attached (SCM_RIGHTS) in one message, then closes the connection (the seccomp agent's
     * protocol, as runc's).
     */
    default void unixSendFd(String path, byte[] data, int fd) throws ErrnoException {
        int socket = connectUnix(path, false);
        try {
            sendMessage(socket, data, fd);
        } finally {
            close(socket);
        }
    }
    // --- terminals and unix sockets (process.terminal, --console-socket, NOTIFY_SOCKET) ---

    /** A new unix socket connected to {@code path}: SOCK_STREAM, or SOCK_DGRAM when {@code datagram}. */
    int connectUnix(String path, boolean datagram) throws ErrnoException;

    /** A new SOCK_DGRAM unix socket bound to {@code path} (the socket file is created; the umask applies). */
    int bindUnixgram(String path) throws ErrnoException;

    /** sendmsg(2): {@code data} (at least one byte) as one message with {@code fd} attached (SCM_RIGHTS). */
    void sendMessage(int socket, byte[] data, int fd) throws ErrnoException;

    /**
     * recvmsg(2) of one message (at most {@code max} bytes; empty at EOF) and the fd that came
     * with it, or -1. More than one fd, or truncated control data: EBADMSG (all of them closed).
     */
    Message recvMessage(int socket, int max) throws ErrnoException;

    /** One received message: its bytes and the fd attached to it (close-on-exec), or -1. */
    record Message(byte[] data, int fd) {}

    int POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;

    /**
     * pidfd_open(2) of {@code pid}: a close-on-exec fd that {@link #poll} reports readable
     * ({@link #POLLIN}) once the process has exited (a zombie too, whoever its parent is). ESRCH
     * when there is no such process; ENOSYS on kernels before 5.3.
     */
    int pidfdOpen(int pid) throws ErrnoException;

    /** poll(2) of one fd for {@code events} ({@link #POLLIN}, ...), {@code timeoutMs} (-1 forever): its revents, 0 on timeout or EINTR. */
    int poll(int fd, int events, int timeoutMs) throws ErrnoException;

    /** TIOCGWINSZ: {rows, columns}; ENOTTY when fd is not a terminal. */
    int[] getWinsize(int fd) throws ErrnoException;

    /** TIOCSWINSZ (each 0..65535, else EINVAL). */
    void setWinsize(int fd, int rows, int cols) throws ErrnoException;

    /** tcgetattr(3): the terminal's attributes as opaque bytes for {@link #tcsetattr}; ENOTTY when not a terminal. */
    byte[] tcgetattr(int fd) throws ErrnoException;

    /** tcsetattr(3, TCSANOW) of attributes {@link #tcgetattr} returned. */
    void tcsetattr(int fd, byte[] attributes) throws ErrnoException;

    /** Raw mode: cfmakeraw(3) of the current attributes, set at once. */
    void setRaw(int fd) throws ErrnoException;

    /** Clears ONLCR (output "\n" stays "\n"), as runc does on the pty master it proxies. */
    void clearOnlcr(int fd) throws ErrnoException;

    /** A new pty pair from /dev/ptmx: {master, slave}, both O_NOCTTY and close-on-exec. */
    int[] openpty() throws ErrnoException;

    // --- bpf(2) for cgroup v2 device rules (the program and the replace logic are in dev.jrunc.cgroups.v2) ---

    /**
     * BPF_PROG_LOAD of a BPF_PROG_TYPE_CGROUP_DEVICE program: {@code insns} is a {@code struct
     * bpf_insn} array (8 bytes each, little-endian), {@code license} its license string. Returns
     * the program's fd. On failure the verifier's log (empty when the kernel gave none) is
     * appended to {@code log}; EINVAL for an empty program or one whose length is not a multiple of 8.
     */
    int bpfLoadCgroupDeviceProgram(byte[] insns, String license, StringBuilder log) throws ErrnoException;

    /**
     * BPF_PROG_QUERY (BPF_CGROUP_DEVICE) of a cgroup v2 directory fd: the number of programs
     * attached to it, with up to {@code ids.length} of their ids written to {@code ids} (a result
     * above {@code ids.length}: ask again with a larger array).
     */
    int bpfQueryCgroupDevice(int cgroupFd, int[] ids) throws ErrnoException;

    /** BPF_PROG_GET_FD_BY_ID: a new fd of the program with that id. */
    int bpfProgramFd(int id) throws ErrnoException;

    /**
     * BPF_PROG_ATTACH (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI) of the program {@code progFd} to a
     * cgroup v2 directory fd; with {@code replaceFd >= 0} it replaces that attached program in
     * one step (BPF_F_REPLACE), else it is added to those attached.
     */
    void bpfAttachCgroupDevice(int cgroupFd, int progFd, int replaceFd) throws ErrnoException;

    /** BPF_PROG_DETACH (BPF_CGROUP_DEVICE) of the program {@code progFd} from a cgroup v2 directory fd. */
    void bpfDetachCgroupDevice(int cgroupFd, int progFd) throws ErrnoException;
}
