package dev.jrunc.sys;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * </ul>
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

    private int nextFd = 100;
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
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        if (fds.remove(fd) == null) {
            throw new ErrnoException("close", Errno.EBADF);
        }
        inbox.remove(fd);
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
        return new int[] {a, b};
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
}
