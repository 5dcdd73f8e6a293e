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
 *   <li>any call can be made to fail: {@link #failNth} (the Nth call of a kind, counted from
 *       then, fails with an errno); {@link #calls} counts the calls of each kind;
 *   <li>euid, pid: settable fields (default root, pid 4242);
 *   <li>{@link #kill}: succeeds for pids in {@link #live}, else ESRCH; signals outside 0..64 are
 *       EINVAL; every successful call is recorded in {@link #signals} ({@code "pid:signal"});
 *       {@link #exitOn} makes a signal end the process (removed from {@code live});
 *   <li>fds: numbered from 100 up, never reused; {@code close} (EBADF if not open).
 *       {@link #describe} names what an fd refers to, so a test can check which file was passed;
 *       {@link #openFds} lists what is open.
 *   <li>{@code seqpacketPair}, {@code read}, {@code write}: bytes written to a socket queue on its
 *       peer; a SEQPACKET read takes one message (cut to {@code max}), a stream read takes up to
 *       {@code max} bytes; EOF (empty) once the peer is closed and nothing is queued, EPIPE when
 *       writing to a closed peer; a read that would block throws IllegalStateException;
 *   <li>{@code memfdCreate}, {@code sealMemfd}: contents in memory ({@link #memfdContents});
 *       writes after the seal fail with EPERM, a second seal with EPERM (F_SEAL_SEAL), sealing
 *       anything else with EINVAL; reading a memfd reads from its offset;
 *   <li>{@code spawn}: records a {@link Spawned} (its fds described) and adds the child to
 *       {@link #live}; EBADF if a source fd is not open (fds 0-2 stand for this process's stdio,
 *       described {@code "stdio:N"}, unless the test opened them); then calls {@link #onSpawn}, where a test
 *       plays the child ({@link #childWrite}, {@link #childSend}, {@link #fork}, {@link #exitChild}).
 *       The child holds the fds it was given: a socket the parent closes stays connected until
 *       every process holding it has ended. It runs until {@link #exitChild} or a
 *       {@code kill} with an {@link #exitOn} signal; {@code waitpid} then returns its status
 *       ({@code code << 8}, or the signal), once; -1 with noHang while it runs; ECHILD for
 *       anything else; blocking on a running child throws IllegalStateException;
 *   <li>{@code mkfifo}: into {@link #fifos} (path to mode, EEXIST if there), and with a fake
 *       /proc ({@link #procRoot}) a regular file at the path stands for the fifo when its directory exists (so that java.nio sees it, and
 *       removes it); {@code open}: an fd described by the path when it is in {@link #fifos} (and
 *       its stand-in was not removed) or {@link #paths}, else ENOENT (flags are not modelled);
 *       reading a fifo's fd takes what {@link #fifoWrite} put there, else EOF;
 *   <li>with {@link #procRoot} set, a /proc of files: {@code self/fd/N} of each memfd holds its
 *       contents (what the code writes through that path is the memfd's), {@code PID/stat} of
 *       each live process (state S, start time = pid) and of an exited, unreaped child (state Z);
 *   <li>{@code seccompCompile}: there is no libseccomp here: records the encoded filter in
 *       {@link #seccompFilters} and returns {@link #seccompProgram}, ENOSYS while that is null;
 *       {@code seccompFlagSupported}: whether the flags are in {@link #seccompFlags};
 *   <li>{@code recvMessage}: a {@code read} of one message that never carries an fd; EMSGSIZE
 *       where a SEQPACKET read would cut the message; {@code unixSendFd}: recorded in
 *       {@link #unixSends} when the path is in {@link #listeners}, else ECONNREFUSED.
 *   <li>{@code connectUnix}, {@code bindUnixgram}: an fd described as {@code "unix:PATH"} when
 *       the path is in {@link #paths}, else ENOENT; {@code sendMessage} queues the bytes as one
 *       message and the fd with it; {@code recvMessage} takes one message and the
 *       next fd queued, if any;
 *   <li>bpf: {@code bpfLoadCgroupDeviceProgram} keeps the program in {@link #bpfPrograms} (its id
 *       is its index + 1) and returns an fd described as {@code "bpf-prog:ID"}; EACCES with
 *       {@link #bpfVerifierLog} as the log while that is set; EINVAL for a length not a positive
 *       multiple of 8. Attachments are per path of the cgroup fd ({@link #bpfAttached}: ids in
 *       attach order): query, get-fd-by-id (ENOENT when unknown), attach (EINVAL when attached
 *       already, ENOENT when the program to replace is not, EINVAL for a replace while
 *       {@link #bpfNoReplace}), detach (ENOENT when not attached);
 *   <li>terminals: no fake fd is one (ENOTTY, EBADF when not open); {@code openpty} has nothing
 *       to model (ENOSYS);
 *   <li>poll: a socket or pipe end with data queued is readable (POLLIN), one whose peer is closed
 *       has hung up (POLLHUP); one with nothing queued and its peer open would wait: the fake
 *       throws, as for a read that would block (a scripted peer writes before it is read);
 *       EBADF for a closed fd, ENOSYS for any other kind.
 * </ul>
 * Reading or writing any other kind of fake fd throws ENOSYS: there is nothing behind it to model.
 */
public final class FakeSyscalls implements Syscalls {
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
    /** Calls made, by kind (the Syscalls method's name), failed ones included. */
    public final Map<String, Integer> calls = new java.util.TreeMap<>();
    /** Called after each spawn, with the child: the test plays it. */
    public java.util.function.Consumer<Spawned> onSpawn = child -> { };
    /** Where the fake /proc is (null: none); see the class comment. */
    private final java.nio.file.Path procRoot;
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

    /**
     * A spawned process: what it ran, what each of its fds referred to (null: closed), and the
     * parent's fd each came from (-1: closed).
     */
    public record Spawned(int pid, String path, List<String> argv, List<String> envp, List<String> fds, List<Integer> sources) {}

    /** call -> countdown of the failure asked for, and its errno. */
    private final Map<String, int[]> failures = new HashMap<>();
    /** A process of ours (spawned or forked) -> the fds it holds, by its own fd number. */
    private final Map<Integer, Map<Integer, Integer>> held = new HashMap<>();
    /** Fifo path -> bytes written into it and not yet read. */
    private final Map<String, Deque<byte[]>> fifoData = new HashMap<>();

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

    /** A memfd's file: in memory, or {@code procRoot/self/fd/N} when there is a fake /proc. */
    private static final class Memfd {
        private byte[] bytes = new byte[0];
        final java.nio.file.Path file;
        int offset;
        boolean sealed;

        Memfd(java.nio.file.Path file) {
            this.file = file;
        }

        byte[] get() {
            try {
                return file == null ? bytes : java.nio.file.Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void set(byte[] contents) {
            try {
                if (file == null) {
                    bytes = contents;
                } else {
                    java.nio.file.Files.write(file, contents);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** fd -> the path it was opened by (fifos, and the test's paths). */
    private final Map<Integer, String> fdPaths = new HashMap<>();
    private int nextObject = 1;
    /** fd -> what it refers to ("socket:[N]", "pidfd:PID", or a test's own label). */
    private final Map<Integer, String> fds = new HashMap<>();
    /** socket fd -> its peer's fd. */
    private final Map<Integer, Integer> peers = new HashMap<>();
    /** socket fd -> objects sent to it and not yet received. */
    private final Map<Integer, Deque<String>> inbox = new HashMap<>();

    public FakeSyscalls() {
        this(null);
    }

    /** With a fake /proc at {@code procRoot} (a directory of the test's). */
    public FakeSyscalls(java.nio.file.Path procRoot) {
        this.procRoot = procRoot;
        live.add(pid);
        writeStat(pid, 'S');
    }

    /** The {@code nth} call of kind {@code call} from now on (1: the next) fails with {@code errno}. */
    public void failNth(String call, int nth, int errno) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth counts from 1");
        }
        failures.put(call, new int[] {nth, errno});
    }

    /** Counts a call of kind {@code call}; throws when it is the one a test asked to fail (the errno names {@code name}). */
    private void enter(String call, String name) throws ErrnoException {
        calls.merge(call, 1, Integer::sum);
        int[] f = failures.get(call);
        if (f != null && --f[0] == 0) {
            failures.remove(call);
            throw new ErrnoException(name, f[1]);
        }
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
        enter("kill", "kill");
        if (signal < 0 || signal > 64) {
            throw new ErrnoException("kill", Errno.EINVAL);
        }
        if (!live.contains(target)) {
            throw new ErrnoException("kill", Errno.ESRCH);
        }
        signals.add(target + ":" + signal);
        if (exitOn.contains(signal)) {
            end(target, signal);
        }
    }

    /** A process ends with wait status {@code status}: it lets go of its fds; a child of ours stays a zombie until waited for. */
    private void end(int target, int status) {
        live.remove(target);
        if (children.contains(target)) {
            exited.put(target, status);
            writeStat(target, 'Z');
        } else {
            removeStat(target);
        }
        Map<Integer, Integer> fdsHeld = held.remove(target);
        if (fdsHeld != null) {
            for (int fd : fdsHeld.values()) {
                if (!fds.containsKey(fd) && !heldByAnyone(fd)) {
                    release(fd);
                }
            }
        }
    }

    private boolean heldByAnyone(int fd) {
        return held.values().stream().anyMatch(m -> m.containsValue(fd));
    }

    @Override
    public void close(int fd) throws ErrnoException {
        ErrnoException failure = null;
        try {
            enter("close", "close");
        } catch (ErrnoException e) {
            failure = e; // as Linux: the fd is released even when close reports an error
        }
        if (fds.remove(fd) == null) {
            throw new ErrnoException("close", Errno.EBADF);
        }
        if (!heldByAnyone(fd)) {
            release(fd);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The last holder of {@code fd}'s file closed it. */
    private void release(int fd) {
        inbox.remove(fd);
        data.remove(fd);
        seqpackets.remove(fd);
        Memfd memfd = memfds.remove(fd);
        if (memfd != null && memfd.file != null) {
            try {
                java.nio.file.Files.deleteIfExists(memfd.file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        fdPaths.remove(fd);
        Integer peer = peers.remove(fd);
        if (peer != null) {
            peers.remove(peer);
        }
    }

    private int[] pair() {
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
    public int[] seqpacketPair() throws ErrnoException {
        enter("seqpacketPair", "socketpair");
        int[] pair = pair();
        seqpackets.add(pair[0]);
        seqpackets.add(pair[1]);
        return pair;
    }

    private void pass(int socket, int fd) throws ErrnoException {
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
    public int spawn(String path, List<String> argv, List<String> envp, int[] fdMap) throws ErrnoException {
        enter("spawn", "posix_spawn");
        if (path.indexOf('\0') >= 0 || argv.stream().anyMatch(x -> x.indexOf('\0') >= 0)
                || envp.stream().anyMatch(x -> x.indexOf('\0') >= 0)) {
            throw new ErrnoException("posix_spawn", Errno.EINVAL);
        }
        List<String> described = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        Map<Integer, Integer> childFds = new HashMap<>();
        for (int i = 0; i < fdMap.length; i++) {
            int source = fdMap[i];
            boolean stdio = source >= 0 && source <= 2 && !fds.containsKey(source); // ours, not modelled
            if (source != -1 && !stdio && !fds.containsKey(source)) {
                throw new ErrnoException("posix_spawn", Errno.EBADF);
            }
            described.add(source == -1 ? null : stdio ? "stdio:" + source : fds.get(source));
            sources.add(source);
            if (source != -1 && !stdio) {
                childFds.put(i, source);
            }
        }
        int child = nextPid++;
        Spawned record = new Spawned(child, path, List.copyOf(argv), List.copyOf(envp),
                java.util.Collections.unmodifiableList(described), List.copyOf(sources));
        spawned.add(record);
        children.add(child);
        live.add(child);
        held.put(child, childFds);
        writeStat(child, 'S');
        onSpawn.accept(record);
        return child;
    }

    /**
     * A new process with {@code parent}'s fds, a child of ours (as jrunc-init's container process,
     * cloned with CLONE_PARENT). Returns its pid.
     */
    public int fork(int parent) {
        Map<Integer, Integer> parentFds = held.get(parent);
        if (parentFds == null || !live.contains(parent)) {
            throw new IllegalArgumentException("not a running process of ours: " + parent);
        }
        int child = nextPid++;
        children.add(child);
        live.add(child);
        held.put(child, new HashMap<>(parentFds));
        writeStat(child, 'S');
        return child;
    }

    /** The running process {@code process} writes one message to its fd {@code fd} (a socket). */
    public void childWrite(int process, int fd, String message) {
        childSend(process, fd, message, null);
    }

    /** The same with an fd attached, described as {@code attached} (SCM_RIGHTS), when not null. */
    public void childSend(int process, int fd, String message, String attached) {
        Integer socket = held.getOrDefault(process, Map.of()).get(fd);
        if (socket == null || !live.contains(process)) {
            throw new IllegalArgumentException("process " + process + " has no fd " + fd);
        }
        Integer peer = peers.get(socket);
        if (peer == null) {
            return; // nobody reads any more: EPIPE in the child, nothing for the test
        }
        data.get(peer).add(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (attached != null) {
            inbox.get(peer).add(attached);
        }
    }

    /** A spawned child exits with {@code code} (its wait status becomes {@code code << 8}). */
    public void exitChild(int child, int code) {
        if (!children.contains(child) || !live.contains(child)) {
            throw new IllegalArgumentException("not a running child: " + child);
        }
        end(child, (code & 0xff) << 8);
    }

    /** Our children that ran and were not waited for, or still run. */
    public Set<Integer> children() {
        return Set.copyOf(children);
    }

    @Override
    public int waitpid(int child, boolean noHang) throws ErrnoException {
        enter("waitpid", "waitpid");
        if (!children.contains(child)) {
            throw new ErrnoException("waitpid", Errno.ECHILD);
        }
        Integer status = exited.remove(child);
        if (status != null) {
            children.remove(child);
            removeStat(child);
            return status;
        }
        if (noHang) {
            return -1;
        }
        throw new IllegalStateException("FakeSyscalls.waitpid would block: child " + child + " is running");
    }

    @Override
    public byte[] read(int fd, int max) throws ErrnoException {
        enter("read", "read");
        return readUncounted(fd, max);
    }

    private byte[] readUncounted(int fd, int max) throws ErrnoException {
        if (max < 0) {
            throw new ErrnoException("read", Errno.EINVAL);
        }
        if (!fds.containsKey(fd)) {
            throw new ErrnoException("read", Errno.EBADF);
        }
        Memfd memfd = memfds.get(fd);
        if (memfd != null) {
            byte[] bytes = memfd.get();
            int n = Math.max(0, Math.min(max, bytes.length - memfd.offset));
            byte[] out = Arrays.copyOfRange(bytes, memfd.offset, memfd.offset + n);
            memfd.offset += n;
            return out;
        }
        String fifo = fdPaths.get(fd);
        if (fifo != null && fifos.containsKey(fifo)) {
            Deque<byte[]> written = fifoData.getOrDefault(fifo, new ArrayDeque<>());
            return written.isEmpty() ? new byte[0] : written.remove();
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
        enter("write", "write");
        if (!fds.containsKey(fd)) {
            throw new ErrnoException("write", Errno.EBADF);
        }
        Memfd memfd = memfds.get(fd);
        if (memfd != null) {
            if (memfd.sealed) {
                throw new ErrnoException("write", Errno.EPERM);
            }
            byte[] contents = memfd.get();
            int end = memfd.offset + bytes.length;
            if (end > contents.length) {
                contents = Arrays.copyOf(contents, end);
            }
            System.arraycopy(bytes, 0, contents, memfd.offset, bytes.length);
            memfd.set(contents);
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
    public int memfdCreate(String name) throws ErrnoException {
        enter("memfdCreate", "memfd_create");
        if (name.indexOf('\0') >= 0) {
            throw new ErrnoException("memfd_create", Errno.EINVAL);
        }
        int fd = open("/memfd:" + name + " (deleted)");
        java.nio.file.Path file = null;
        if (procRoot != null) {
            file = procRoot.resolve("self/fd/" + fd);
            try {
                java.nio.file.Files.createDirectories(file.getParent());
                java.nio.file.Files.write(file, new byte[0]);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        memfds.put(fd, new Memfd(file));
        return fd;
    }

    @Override
    public void sealMemfd(int fd) throws ErrnoException {
        enter("sealMemfd", "fcntl");
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
        return memfd.get().clone();
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        enter("mkfifo", "mkfifo");
        if ((mode & ~07777) != 0 || path.indexOf('\0') >= 0) {
            throw new ErrnoException("mkfifo", Errno.EINVAL);
        }
        if (fifoExists(path) || paths.contains(path)) {
            throw new ErrnoException("mkfifo", Errno.EEXIST);
        }
        java.nio.file.Path file = java.nio.file.Path.of(path);
        if (procRoot != null && file.getParent() != null && java.nio.file.Files.isDirectory(file.getParent())) {
            try {
                java.nio.file.Files.createFile(file);
            } catch (java.io.IOException e) {
                throw new ErrnoException("mkfifo", Errno.EEXIST);
            }
        }
        fifos.put(path, mode);
    }

    /** A fifo made here whose stand-in file (if it had one) was not removed. */
    private boolean fifoExists(String path) {
        if (!fifos.containsKey(path)) {
            return false;
        }
        java.nio.file.Path file = java.nio.file.Path.of(path);
        if (procRoot != null && file.getParent() != null && java.nio.file.Files.isDirectory(file.getParent())
                && !java.nio.file.Files.exists(file)) {
            fifos.remove(path);
            fifoData.remove(path);
            return false;
        }
        return true;
    }

    /** The container's side of a fifo: {@code bytes} are there to read. */
    public void fifoWrite(String path, byte[] bytes) {
        fifoData.computeIfAbsent(path, k -> new ArrayDeque<>()).add(bytes.clone());
    }

    @Override
    public int open(String path, int flags) throws ErrnoException {
        enter("open", "open");
        if (path.indexOf('\0') >= 0) {
            throw new ErrnoException("open", Errno.EINVAL);
        }
        if (!fifoExists(path) && !paths.contains(path)) {
            throw new ErrnoException("open", Errno.ENOENT);
        }
        int fd = open(path);
        fdPaths.put(fd, path);
        return fd;
    }

    @Override
    public byte[] seccompCompile(byte[] filter, int[] where) throws ErrnoException {
        enter("seccompCompile", "seccomp");
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
        enter("unixSendFd", "sendmsg");
        if (!fds.containsKey(fd)) {
            throw new ErrnoException("sendmsg", Errno.EBADF);
        }
        if (!listeners.contains(path)) {
            throw new ErrnoException("connect", Errno.ECONNREFUSED);
        }
        unixSends.add(path + "|" + new String(bytes, java.nio.charset.StandardCharsets.UTF_8) + "|" + fds.get(fd));
    }

    private void writeStat(int process, char state) {
        if (procRoot == null) {
            return;
        }
        try {
            java.nio.file.Path dir = procRoot.resolve(Integer.toString(process));
            java.nio.file.Files.createDirectories(dir);
            // fields 3 (state) and 22 (start time): the pid stands for the start time
            StringBuilder line = new StringBuilder(process + " (fake) " + state);
            for (int field = 4; field <= 21; field++) {
                line.append(" 0");
            }
            line.append(' ').append(process).append(" 0 0\n");
            java.nio.file.Files.writeString(dir.resolve("stat"), line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void removeStat(int process) {
        if (procRoot == null) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(procRoot.resolve(process + "/stat"));
            java.nio.file.Files.deleteIfExists(procRoot.resolve(Integer.toString(process)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
        enter("connectUnix", "connect");
        if (!paths.contains(path)) {
            throw new ErrnoException("connect", Errno.ENOENT);
        }
        return open("unix:" + path);
    }

    @Override
    public int bindUnixgram(String path) throws ErrnoException {
        enter("bindUnixgram", "bind");
        if (paths.contains(path)) {
            throw new ErrnoException("bind", Errno.EEXIST);
        }
        java.nio.file.Path file = java.nio.file.Path.of(path);
        if (procRoot != null && file.getParent() != null && java.nio.file.Files.isDirectory(file.getParent())) {
            try {
                java.nio.file.Files.createFile(file); // the socket file's stand-in
            } catch (java.io.IOException e) {
                throw new ErrnoException("bind", Errno.EEXIST);
            }
        }
        paths.add(path);
        return open("unix:" + path);
    }

    @Override
    public void sendMessage(int socket, byte[] bytes, int fd) throws ErrnoException {
        enter("sendMessage", "sendmsg");
        if (bytes.length == 0) {
            throw new ErrnoException("sendmsg", Errno.EINVAL);
        }
        pass(socket, fd);
        data.get(peers.get(socket)).add(bytes.clone());
    }

    @Override
    public Message recvMessage(int socket, int max) throws ErrnoException {
        enter("recvMessage", "recvmsg");
        Deque<byte[]> queue = data.get(socket);
        if (queue != null && seqpackets.contains(socket) && !queue.isEmpty() && queue.peek().length > max) {
            queue.remove();
            throw new ErrnoException("recvmsg", Errno.EMSGSIZE);
        }
        byte[] bytes;
        try {
            bytes = readUncounted(socket, max);
        } catch (ErrnoException e) {
            throw new ErrnoException("recvmsg", e.errno());
        }
        Deque<String> passed = inbox.get(socket);
        int fd = passed == null || passed.isEmpty() ? -1 : open(passed.remove());
        return new Message(bytes, fd);
    }

    /** ENOSYS, as a kernel before 5.3: the fake has no processes to watch, so callers poll instead. */
    @Override
    public int pidfdOpen(int pid) throws ErrnoException {
        enter("pidfdOpen", "pidfd_open");
        throw new ErrnoException("pidfd_open", Errno.ENOSYS);
    }

    @Override
    public int poll(int fd, int events, int timeoutMs) throws ErrnoException {
        enter("poll", "poll");
        if (!fds.containsKey(fd)) {
            throw new ErrnoException("poll", Errno.EBADF);
        }
        Deque<byte[]> queue = data.get(fd);
        if (queue == null) {
            throw new ErrnoException("poll", Errno.ENOSYS);
        }
        if (!queue.isEmpty()) {
            return events & POLLIN;
        }
        if (!peers.containsKey(fd)) {
            return POLLHUP;
        }
        throw new IllegalStateException("FakeSyscalls.poll would wait: nothing was written to fd " + fd);
    }

    private void notATerminal(String call, int fd) throws ErrnoException {
        throw new ErrnoException(call, fds.containsKey(fd) ? Errno.ENOTTY : Errno.EBADF);
    }

    @Override
    public int[] getWinsize(int fd) throws ErrnoException {
        enter("getWinsize", "ioctl(TIOCGWINSZ)");
        notATerminal("ioctl(TIOCGWINSZ)", fd);
        return null;
    }

    @Override
    public void setWinsize(int fd, int rows, int cols) throws ErrnoException {
        enter("setWinsize", "ioctl(TIOCSWINSZ)");
        notATerminal("ioctl(TIOCSWINSZ)", fd);
    }

    @Override
    public byte[] tcgetattr(int fd) throws ErrnoException {
        enter("tcgetattr", "tcgetattr");
        notATerminal("tcgetattr", fd);
        return null;
    }

    @Override
    public void tcsetattr(int fd, byte[] attributes) throws ErrnoException {
        enter("tcsetattr", "tcsetattr");
        notATerminal("tcsetattr", fd);
    }

    @Override
    public void setRaw(int fd) throws ErrnoException {
        enter("setRaw", "tcsetattr");
        notATerminal("tcsetattr", fd);
    }

    @Override
    public void clearOnlcr(int fd) throws ErrnoException {
        enter("clearOnlcr", "tcsetattr");
        notATerminal("tcsetattr", fd);
    }

    @Override
    public int[] openpty() throws ErrnoException {
        enter("openpty", "openpty");
        throw new ErrnoException("openpty", Errno.ENOSYS);
    }

    @Override
    public int bpfLoadCgroupDeviceProgram(byte[] insns, String license, StringBuilder log) throws ErrnoException {
        enter("bpfLoadCgroupDeviceProgram", "bpf");
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
        enter("bpfQueryCgroupDevice", "bpf");
        List<Integer> attached = bpfAttached.getOrDefault(cgroupPath(cgroupFd), List.of());
        for (int i = 0; i < Math.min(ids.length, attached.size()); i++) {
            ids[i] = attached.get(i);
        }
        return attached.size();
    }

    @Override
    public int bpfProgramFd(int id) throws ErrnoException {
        enter("bpfProgramFd", "bpf");
        if (id < 1 || id > bpfPrograms.size()) {
            throw new ErrnoException("bpf", Errno.ENOENT);
        }
        return open("bpf-prog:" + id);
    }

    @Override
    public void bpfAttachCgroupDevice(int cgroupFd, int progFd, int replaceFd) throws ErrnoException {
        enter("bpfAttachCgroupDevice", "bpf");
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
        enter("bpfDetachCgroupDevice", "bpf");
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
