package dev.jrunc.sys;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Syscalls} for unit tests that need no root and no native library: an in-memory process
 * table and fd table with the errno behaviour of the real bindings (same errno, same messages).
 *
 * <ul>
 *   <li>uid, euid, pid: settable fields (default root, pid 4242);
 *   <li>{@link #kill}: succeeds for pids in {@link #live}, else ESRCH; signals outside 0..64 are
 *       EINVAL; every successful call is recorded in {@link #signals} ({@code "pid:signal"});
 *       {@link #exitOn} makes a signal end the process (removed from {@code live});
 *   <li>fds: numbered from 100 up; {@code socketpair}, {@code sendFd}/{@code recvFd} (queue on
 *       the peer; ECONNRESET once the peer is closed and nothing is queued), {@code pidfdOpen}
 *       (ESRCH unless live), {@code close} (EBADF if not open). {@link #describe} names what an
 *       fd refers to, so a test can check which file was passed.
 *   <li>{@code seqpacketPair}, {@code read}, {@code write}: bytes written to a socket queue on its
 *       peer; a SEQPACKET read takes one message (cut to {@code max}), a stream read takes up to
 *       {@code max} bytes; EOF (empty) once the peer is closed and nothing is queued, EPIPE when
 *       writing to a closed peer; a read that would block throws IllegalStateException;
 *   <li>{@code memfdCreate}, {@code sealMemfd}: contents in memory ({@link #memfdContents});
 *       writes after the seal fail with EPERM, a second seal with EPERM (F_SEAL_SEAL), sealing
 *       anything else with EINVAL; reading a memfd reads from its offset;
 *   <li>{@code spawn}: records a {@link Spawned} (its fds described) and adds the child to
 *       {@link #live}; EBADF if a source fd is not open. It runs until {@link #exitChild} or a
 *       {@code kill} with an {@link #exitOn} signal; {@code waitpid} then returns its status
 *       ({@code code << 8}, or the signal), once; -1 with noHang while it runs; ECHILD for
 *       anything else; blocking on a running child throws IllegalStateException;
 *   <li>{@code mkfifo}: into {@link #fifos} (path to mode, EEXIST if there); {@code open}: an fd
 *       described by the path when it is in {@link #fifos} or {@link #paths}, else ENOENT
 *       (flags are not modelled);
 *   <li>{@code setChildSubreaper}: sets {@link #subreaper};
 *   <li>{@code seccompCompile}: there is no libseccomp here: records the encoded filter in
 *       {@link #seccompFilters} and returns {@link #seccompProgram}, ENOSYS while that is null;
 *       {@code seccompFlagSupported}: whether the flags are in {@link #seccompFlags};
 *   <li>{@code recvMessage}: a {@code read} of one message that never carries an fd; EMSGSIZE
 *       where a SEQPACKET read would cut the message; {@code unixSendFd}: recorded in
 *       {@link #unixSends} when the path is in {@link #listeners}, else ECONNREFUSED.
 *   <li>{@code connectUnix}, {@code bindUnixgram}: an fd described as {@code "unix:PATH"} when
 *       the path is in {@link #paths}, else ENOENT; {@code sendMessage} queues the bytes as one
 *       message and the fd like {@code sendFd}; {@code recvMessage} takes one message and the
 *       next fd queued, if any;
 *   <li>bpf: {@code bpfLoadCgroupDeviceProgram} keeps the program in {@link #bpfPrograms} (its id
 *       is its index + 1) and returns an fd described as {@code "bpf-prog:ID"}; EACCES with
 *       {@link #bpfVerifierLog} as the log while that is set; EINVAL for a length not a positive
 *       multiple of 8. Attachments are per path of the cgroup fd ({@link #bpfAttached}: ids in
 *       attach order): query, get-fd-by-id (ENOENT when unknown), attach (EINVAL when attached
 *       already, ENOENT when the program to replace is not, EINVAL for a replace while
 *       {@link #bpfNoReplace}), detach (ENOENT when not attached);
 *   <li>terminals: no fake fd is one (ENOTTY, EBADF when not open); {@code openpty} and
 *       {@code poll} have nothing to model (ENOSYS).
 * </ul>
 * Reading or writing any other kind of fake fd throws ENOSYS: there is nothing behind it to model.
 */
public final class FakeSyscalls implements Syscalls {
    public int uid = 0;
    public int euid = 0;
    public int pid = 4242;
    /** Pids that exist; the own pid is added by the constructor. */
    public final Set<Integer> live = new HashSet<>();
    /** Signals that end the process they are sent to (e.g. 9, 15). */
    public final Set<Integer> exitOn = new HashSet<>(Set.of(9));
    /** Successful kill calls, as "pid:signal" (signal 0 included). */
    public final List<String> signals = new ArrayList<>();

    /** Processes started by {@link #spawn}, in order. */
    public final List<Spawned> spawned = new ArrayList<>();
    /** Fifos made by {@link #mkfifo}: path to mode. */
    public final Map<String, Integer> fifos = new HashMap<>();
    /** Other paths that {@link #open(String, int)} finds (a test adds them). */
    public final Set<String> paths = new HashSet<>();
    /** Whether {@link #setChildSubreaper} was called. */
    public boolean subreaper;
    /** Filters given to {@link #seccompCompile}, and the program it returns (ENOSYS while null). */
    public final List<byte[]> seccompFilters = new ArrayList<>();
    public byte[] seccompProgram;
    /** SECCOMP_FILTER_FLAG_* values (alone) the fake kernel accepts. */
    public final Set<Integer> seccompFlags = new HashSet<>(Set.of(0, 1, 2, 4));
    /** Programs loaded with {@link #bpfLoadCgroupDeviceProgram} (id = index + 1). */
    public final List<byte[]> bpfPrograms = new ArrayList<>();
    /** While set, loading a program fails with EACCES and this verifier log. */
    public String bpfVerifierLog;
    /** A kernel before 5.6: an attach with a program to replace fails with EINVAL (no BPF_F_REPLACE). */
    public boolean bpfNoReplace;
    /** Cgroup path -> ids of the device programs attached to it, in order. */
    public final Map<String, List<Integer>> bpfAttached = new HashMap<>();
    /** Unix socket paths {@link #unixSendFd} can connect to, and what was sent ("path|data|fd description"). */
    public final Set<String> listeners = new HashSet<>();
    public final List<String> unixSends = new ArrayList<>();

    /** A spawned process: what it ran, and what each of its fds referred to (null: closed). */
    public record Spawned(int pid, String path, List<String> argv, List<String> envp, List<String> fds) {}

    private int nextFd = 100;
    private int nextPid = 5000;
    /** Our spawned children, running or exited and not yet waited for. */
    private final Set<Integer> children = new HashSet<>();
    /** Exited children not yet waited for: pid -> wait status. */
    private final Map<Integer, Integer> exited = new HashMap<>();
    /** SEQPACKET socket fds. */
    private final Set<Integer> seqpackets = new HashSet<>();
    /** socket fd -> bytes written to it by its peer and not yet read (one array per write). */
    private final Map<Integer, Deque<byte[]>> data = new HashMap<>();
    /** memfd fd -> its file. */
    private final Map<Integer, Memfd> memfds = new HashMap<>();

    private static final class Memfd {
        byte[] bytes = new byte[0];
        int offset;
        boolean sealed;
    }
    private int nextObject = 1;
    /** fd -> what it refers to ("socket:[N]", "pidfd:PID", or a test's own label). */
    private final Map<Integer, String> fds = new HashMap<>();
    /** socket fd -> its peer's fd. */
    private final Map<Integer, Integer> peers = new HashMap<>();
    /** socket fd -> objects sent to it and not yet received. */
    private final Map<Integer, Deque<String>> inbox = new HashMap<>();

    public FakeSyscalls() {
        live.add(pid);
    }

    @Override
    public int getuid() {
        return uid;
    }

    @Override
    public int geteuid() {
        return euid;
    }

    @Override
    public int getpid() {
        return pid;
    }

    @Override
    public void kill(int target, int signal) throws ErrnoException {
        if (signal < 0 || signal > 64) {
            throw new ErrnoException("kill", Errno.EINVAL);
        }
        if (!live.contains(target)) {
            throw new ErrnoException("kill", Errno.ESRCH);
        }
        signals.add(target + ":" + signal);
        if (exitOn.contains(signal)) {
            live.remove(target);
            if (children.contains(target)) {
                exited.put(target, signal);
            }
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        if (fds.remove(fd) == null) {
            throw new ErrnoException("close", Errno.EBADF);
        }
        inbox.remove(fd);
        data.remove(fd);
        seqpackets.remove(fd);
        memfds.remove(fd);
        Integer peer = peers.remove(fd);
        if (peer != null) {
            peers.remove(peer);
        }
    }

    @Override
    public int[] socketpair() {
        int a = open("socket:[" + nextObject++ + "]");
        int b = open("socket:[" + nextObject++ + "]");
        peers.put(a, b);
        peers.put(b, a);
        inbox.put(a, new ArrayDeque<>());
        inbox.put(b, new ArrayDeque<>());
        data.put(a, new ArrayDeque<>());
        data.put(b, new ArrayDeque<>());
        return new int[] {a, b};
    }

    @Override
    public int[] seqpacketPair() {
        int[] pair = socketpair();
        seqpackets.add(pair[0]);
        seqpackets.add(pair[1]);
        return pair;
    }

    @Override
    public void sendFd(int socket, int fd) throws ErrnoException {
        if (!fds.containsKey(socket) || !fds.containsKey(fd)) {
            throw new ErrnoException("sendmsg", Errno.EBADF);
        }
        Integer peer = peers.get(socket);
        if (peer == null) {
            throw new ErrnoException("sendmsg", Errno.EPIPE);
        }
        inbox.get(peer).add(fds.get(fd));
    }

    @Override
    public int recvFd(int socket) throws ErrnoException {
        if (!fds.containsKey(socket)) {
            throw new ErrnoException("recvmsg", Errno.EBADF);
        }
        Deque<String> queue = inbox.get(socket);
        if (queue == null || queue.isEmpty()) {
            if (peers.containsKey(socket)) {
                throw new IllegalStateException("FakeSyscalls.recvFd would block: nothing was sent to fd " + socket);
            }
            throw new ErrnoException("recvmsg", Errno.ECONNRESET);
        }
        return open(queue.remove());
    }

    @Override
    public int pidfdOpen(int target) throws ErrnoException {
        if (!live.contains(target)) {
            throw new ErrnoException("pidfd_open", Errno.ESRCH);
        }
        return open("pidfd:" + target);
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> envp, int[] fdMap) throws ErrnoException {
        List<String> described = new ArrayList<>();
        for (int source : fdMap) {
            if (source != -1 && !fds.containsKey(source)) {
                throw new ErrnoException("posix_spawn", Errno.EBADF);
            }
            described.add(source == -1 ? null : fds.get(source));
        }
        int child = nextPid++;
        spawned.add(new Spawned(child, path, List.copyOf(argv), List.copyOf(envp),
                java.util.Collections.unmodifiableList(described)));
        children.add(child);
        live.add(child);
        return child;
    }

    /** A spawned child exits with {@code code} (its wait status becomes {@code code << 8}). */
    public void exitChild(int child, int code) {
        if (!children.contains(child) || !live.remove(child)) {
            throw new IllegalArgumentException("not a running child: " + child);
        }
        exited.put(child, (code & 0xff) << 8);
    }

    @Override
    public int waitpid(int child, boolean noHang) throws ErrnoException {
        if (!children.contains(child)) {
            throw new ErrnoException("waitpid", Errno.ECHILD);
        }
        Integer status = exited.remove(child);
        if (status != null) {
            children.remove(child);
            return status;
        }
        if (noHang) {
            return -1;
        }
        throw new IllegalStateException("FakeSyscalls.waitpid would block: child " + child + " is running");
    }

    @Override
    public byte[] read(int fd, int max) throws ErrnoException {
        if (max < 0) {
            throw new ErrnoException("read", Errno.EINVAL);
        }
        if (!fds.containsKey(fd)) {
            throw new ErrnoException("read", Errno.EBADF);
        }
        Memfd memfd = memfds.get(fd);
        if (memfd != null) {
            int n = Math.min(max, memfd.bytes.length - memfd.offset);
            byte[] out = Arrays.copyOfRange(memfd.bytes, memfd.offset, memfd.offset + n);
            memfd.offset += n;
            return out;
        }
        Deque<byte[]> queue = data.get(fd);
        if (queue == null) {
            // a fifo or a test's own label: no contents to model
            throw new ErrnoException("read", Errno.ENOSYS);
        }
        if (queue.isEmpty()) {
            if (peers.containsKey(fd)) {
                throw new IllegalStateException("FakeSyscalls.read would block: nothing was written to fd " + fd);
            }
            return new byte[0];
        }
        if (seqpackets.contains(fd)) {
            byte[] message = queue.remove();
            return Arrays.copyOf(message, Math.min(max, message.length));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (out.size() < max && !queue.isEmpty()) {
            byte[] head = queue.remove();
            int n = Math.min(max - out.size(), head.length);
            out.write(head, 0, n);
            if (n < head.length) {
                queue.addFirst(Arrays.copyOfRange(head, n, head.length));
            }
        }
        return out.toByteArray();
    }

    @Override
    public void write(int fd, byte[] bytes) throws ErrnoException {
        if (!fds.containsKey(fd)) {
            throw new ErrnoException("write", Errno.EBADF);
        }
        Memfd memfd = memfds.get(fd);
        if (memfd != null) {
            if (memfd.sealed) {
                throw new ErrnoException("write", Errno.EPERM);
            }
            int end = memfd.offset + bytes.length;
            if (end > memfd.bytes.length) {
                memfd.bytes = Arrays.copyOf(memfd.bytes, end);
            }
            System.arraycopy(bytes, 0, memfd.bytes, memfd.offset, bytes.length);
            memfd.offset = end;
            return;
        }
        if (!data.containsKey(fd)) {
            // a fifo or a test's own label: no contents to model
            throw new ErrnoException("write", Errno.ENOSYS);
        }
        Integer peer = peers.get(fd);
        if (peer == null) {
            throw new ErrnoException("write", Errno.EPIPE);
        }
        if (bytes.length > 0 || seqpackets.contains(fd)) {
            data.get(peer).add(bytes.clone());
        }
    }

    @Override
    public int memfdCreate(String name) {
        int fd = open("/memfd:" + name + " (deleted)");
        memfds.put(fd, new Memfd());
        return fd;
    }

    @Override
    public void sealMemfd(int fd) throws ErrnoException {
        if (!fds.containsKey(fd)) {
            throw new ErrnoException("fcntl", Errno.EBADF);
        }
        Memfd memfd = memfds.get(fd);
        if (memfd == null) {
            throw new ErrnoException("fcntl", Errno.EINVAL);
        }
        if (memfd.sealed) {
            throw new ErrnoException("fcntl", Errno.EPERM);
        }
        memfd.sealed = true;
    }

    /** What was written to a memfd (all of it, whatever its offset). */
    public byte[] memfdContents(int fd) {
        Memfd memfd = memfds.get(fd);
        if (memfd == null) {
            throw new IllegalArgumentException("not a memfd: " + fd);
        }
        return memfd.bytes.clone();
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        if ((mode & ~07777) != 0) {
            throw new ErrnoException("mkfifo", Errno.EINVAL);
        }
        if (fifos.containsKey(path) || paths.contains(path)) {
            throw new ErrnoException("mkfifo", Errno.EEXIST);
        }
        fifos.put(path, mode);
    }

    @Override
    public int open(String path, int flags) throws ErrnoException {
        if (!fifos.containsKey(path) && !paths.contains(path)) {
            throw new ErrnoException("open", Errno.ENOENT);
        }
        return open(path);
    }

    @Override
    public void setChildSubreaper() {
        subreaper = true;
    }

    @Override
    public byte[] seccompCompile(byte[] filter, int[] where) throws ErrnoException {
        seccompFilters.add(filter.clone());
        if (seccompProgram == null) {
            where[0] = 2;
            where[1] = -1;
            throw new ErrnoException("seccomp", Errno.ENOSYS);
        }
        return seccompProgram.clone();
    }

    @Override
    public boolean seccompFlagSupported(int flags) {
        return seccompFlags.contains(flags);
    }


    @Override
    public void unixSendFd(String path, byte[] bytes, int fd) throws ErrnoException {
        if (!fds.containsKey(fd)) {
            throw new ErrnoException("sendmsg", Errno.EBADF);
        }
        if (!listeners.contains(path)) {
            throw new ErrnoException("connect", Errno.ECONNREFUSED);
        }
        unixSends.add(path + "|" + new String(bytes, java.nio.charset.StandardCharsets.UTF_8) + "|" + fds.get(fd));
    }

    /** Opens a fake fd referring to {@code what} (e.g. a file a test hands to the code). */
    public int open(String what) {
        int fd = nextFd++;
        fds.put(fd, what);
        return fd;
    }

    /** What an open fd refers to, or null if it is not open. */
    public String describe(int fd) {
        return fds.get(fd);
    }

    /** The fds open now. */
    public Set<Integer> openFds() {
        return Set.copyOf(fds.keySet());
    }

    @Override
    public int connectUnix(String path, boolean datagram) throws ErrnoException {
        if (!paths.contains(path)) {
            throw new ErrnoException("connect", Errno.ENOENT);
        }
        return open("unix:" + path);
    }

    @Override
    public int bindUnixgram(String path) throws ErrnoException {
        if (paths.contains(path)) {
            throw new ErrnoException("bind", Errno.EEXIST);
        }
        paths.add(path);
        return open("unix:" + path);
    }

    @Override
    public void sendMessage(int socket, byte[] bytes, int fd) throws ErrnoException {
        if (bytes.length == 0) {
            throw new ErrnoException("sendmsg", Errno.EINVAL);
        }
        sendFd(socket, fd);
        data.get(peers.get(socket)).add(bytes.clone());
    }

    @Override
    public Message recvMessage(int socket, int max) throws ErrnoException {
        Deque<byte[]> queue = data.get(socket);
        if (queue != null && seqpackets.contains(socket) && !queue.isEmpty() && queue.peek().length > max) {
            queue.remove();
            throw new ErrnoException("recvmsg", Errno.EMSGSIZE);
        }
        byte[] bytes;
        try {
            bytes = read(socket, max);
        } catch (ErrnoException e) {
            throw new ErrnoException("recvmsg", e.errno());
        }
        Deque<String> passed = inbox.get(socket);
        int fd = passed == null || passed.isEmpty() ? -1 : open(passed.remove());
        return new Message(bytes, fd);
    }

    @Override
    public int poll(int fd, int events, int timeoutMs) throws ErrnoException {
        throw new ErrnoException("poll", Errno.ENOSYS);
    }

    private void notATerminal(String call, int fd) throws ErrnoException {
        throw new ErrnoException(call, fds.containsKey(fd) ? Errno.ENOTTY : Errno.EBADF);
    }

    @Override
    public int[] getWinsize(int fd) throws ErrnoException {
        notATerminal("ioctl(TIOCGWINSZ)", fd);
        return null;
    }

    @Override
    public void setWinsize(int fd, int rows, int cols) throws ErrnoException {
        notATerminal("ioctl(TIOCSWINSZ)", fd);
    }

    @Override
    public byte[] tcgetattr(int fd) throws ErrnoException {
        notATerminal("tcgetattr", fd);
        return null;
    }

    @Override
    public void tcsetattr(int fd, byte[] attributes) throws ErrnoException {
        notATerminal("tcsetattr", fd);
    }

    @Override
    public void setRaw(int fd) throws ErrnoException {
        notATerminal("tcsetattr", fd);
    }

    @Override
    public void clearOnlcr(int fd) throws ErrnoException {
        notATerminal("tcsetattr", fd);
    }

    @Override
    public int[] openpty() throws ErrnoException {
        throw new ErrnoException("openpty", Errno.ENOSYS);
    }

    @Override
    public int bpfLoadCgroupDeviceProgram(byte[] insns, String license, StringBuilder log) throws ErrnoException {
        if (insns.length == 0 || insns.length % 8 != 0) {
            throw new ErrnoException("bpf", Errno.EINVAL);
        }
        if (bpfVerifierLog != null) {
            log.append(bpfVerifierLog);
            throw new ErrnoException("bpf", Errno.EACCES);
        }
        bpfPrograms.add(insns.clone());
        return open("bpf-prog:" + bpfPrograms.size());
    }

    @Override
    public int bpfQueryCgroupDevice(int cgroupFd, int[] ids) throws ErrnoException {
        List<Integer> attached = bpfAttached.getOrDefault(cgroupPath(cgroupFd), List.of());
        for (int i = 0; i < Math.min(ids.length, attached.size()); i++) {
            ids[i] = attached.get(i);
        }
        return attached.size();
    }

    @Override
    public int bpfProgramFd(int id) throws ErrnoException {
        if (id < 1 || id > bpfPrograms.size()) {
            throw new ErrnoException("bpf", Errno.ENOENT);
        }
        return open("bpf-prog:" + id);
    }

    @Override
    public void bpfAttachCgroupDevice(int cgroupFd, int progFd, int replaceFd) throws ErrnoException {
        List<Integer> attached = bpfAttached.computeIfAbsent(cgroupPath(cgroupFd), k -> new ArrayList<>());
        int id = programId(progFd);
        if (attached.contains(id)) {
            throw new ErrnoException("bpf", Errno.EINVAL);
        }
        if (replaceFd >= 0) {
            if (bpfNoReplace) {
                throw new ErrnoException("bpf", Errno.EINVAL);
            }
            int old = attached.indexOf(programId(replaceFd));
            if (old < 0) {
                throw new ErrnoException("bpf", Errno.ENOENT);
            }
            attached.set(old, id);
        } else {
            attached.add(id);
        }
    }

    @Override
    public void bpfDetachCgroupDevice(int cgroupFd, int progFd) throws ErrnoException {
        List<Integer> attached = bpfAttached.getOrDefault(cgroupPath(cgroupFd), new ArrayList<>());
        if (!attached.remove(Integer.valueOf(programId(progFd)))) {
            throw new ErrnoException("bpf", Errno.ENOENT);
        }
    }

    private String cgroupPath(int fd) throws ErrnoException {
        String path = fds.get(fd);
        if (path == null) {
            throw new ErrnoException("bpf", Errno.EBADF);
        }
        return path;
    }

    private int programId(int fd) throws ErrnoException {
        String what = fds.get(fd);
        if (what == null) {
            throw new ErrnoException("bpf", Errno.EBADF);
        }
        if (!what.startsWith("bpf-prog:")) {
            throw new ErrnoException("bpf", Errno.EINVAL);
        }
        return Integer.parseInt(what.substring("bpf-prog:".length()));
    }
}
