package dev.jrunc.sys;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The behaviour every {@link Syscalls} binding must have, checked the same way against the FFM
 * binding on the JVM (in surefire, {@code SyscallsContractTest}, and in a JVM of its own,
 * {@code FfmContractMain}) and against the {@code @CFunction} binding inside a native image
 * ({@code NativeContractMain}, built by {@code make native-contract} as
 * {@code target/native-contract} and run by the same test). Plain Java, no
 * JUnit, so that it compiles into the image. Add a check here when adding a call to
 * {@code Syscalls}: both bindings then have to pass it.
 */
public final class SyscallsContract {

    /**
     * What the host says, found outside the binding under test ({@code id -u}), and whether the
     * contract runs in a process of its own, started with umask 077 (the native image, or a JVM of
     * its own): only then does it insist on the umask.
     */
    public record Expected(int euid, boolean ownProcess) {}

    /** One check's outcome; {@code detail} says what went wrong (or what was seen). */
    public record Result(String name, boolean passed, String detail) {
        @Override
        public String toString() {
            return (passed ? "PASS " : "FAIL ") + name + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    @FunctionalInterface
    private interface Check {
        /** Returns a note on success; throws {@link AssertionError} (or anything) on failure. */
        String run() throws Exception;
    }

    private static final int O_CLOEXEC = 02000000;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_NONBLOCK = 04000;
    private static final int O_PATH = 010000000;
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;

    private final Syscalls sys;
    private final Expected expected;
    private final Map<String, Check> checks = new LinkedHashMap<>();

    private SyscallsContract(Syscalls sys, Expected expected) {
        this.sys = sys;
        this.expected = expected;
        define();
    }

    /**
     * The checks that use nothing but the {@link Syscalls} interface (no /proc, no real process,
     * no host file): {@code FakeSyscalls} must pass them too, so that the fake cannot drift from
     * the real bindings where it models them.
     */
    public static final List<String> PORTABLE = List.of(
            "kill(self, 0) succeeds",
            "kill with an invalid signal fails with EINVAL",
            "close of a bad fd fails with EBADF",
            "close of a closed fd fails with EBADF",
            "sendMessage of a bad fd fails with EBADF",
            "seqpacket keeps message boundaries, cuts a long one, EOF after the peer closed",
            "read of a bad fd fails with EBADF, a negative max with EINVAL",
            "write to a socket whose peer is closed fails with EPIPE (no SIGPIPE)",
            "sealMemfd of a socket fails with EINVAL",
            "spawn with a source fd that is not open fails with EBADF",
            "strings holding NUL are refused with EINVAL",
            "open of a missing path fails with ENOENT",
            "seccompFlagSupported: LOG yes, an unknown bit no");

    /** Runs every check against {@code sys}, in order; never throws. */
    public static List<Result> run(Syscalls sys, Expected expected) {
        return run(sys, expected, names());
    }

    /** Runs the {@link #PORTABLE} checks against {@code sys} (a fake: not the host's process). */
    public static List<Result> runPortable(Syscalls sys) {
        return run(sys, new Expected(sys.geteuid(), false), PORTABLE);
    }

    private static List<Result> run(Syscalls sys, Expected expected, List<String> names) {
        SyscallsContract contract = new SyscallsContract(sys, expected);
        List<Result> results = new ArrayList<>();
        contract.checks.forEach((name, check) -> {
            if (!names.contains(name)) {
                return;
            }
            try {
                results.add(new Result(name, true, check.run()));
            } catch (Throwable t) {
                results.add(new Result(name, false, String.valueOf(t)));
            }
        });
        return results;
    }

    private void define() {
        checks.put("geteuid matches id -u", () -> {
            equal(expected.euid(), sys.geteuid(), "geteuid");
            return "euid " + sys.geteuid();
        });
        checks.put("getpid matches ProcessHandle", () -> {
            equal(ProcessHandle.current().pid(), sys.getpid(), "getpid");
            return "pid " + sys.getpid();
        });
        checks.put("kill(self, 0) succeeds", () -> {
            sys.kill(sys.getpid(), 0);
            return "";
        });
        checks.put("kill(unused pid, 0) fails with ESRCH", () -> {
            int pid = unusedPid();
            ErrnoException e = expectErrno(Errno.ESRCH, () -> sys.kill(pid, 0));
            equal("kill: no such process", e.getMessage(), "message");
            return "pid " + pid + ": " + e.getMessage();
        });
        checks.put("kill with an invalid signal fails with EINVAL", () -> {
            ErrnoException e = expectErrno(Errno.EINVAL, () -> sys.kill(sys.getpid(), 1000));
            equal("kill: invalid argument", e.getMessage(), "message");
            expectErrno(Errno.EINVAL, () -> sys.kill(sys.getpid(), -1));
            return e.getMessage();
        });
        checks.put("close of a bad fd fails with EBADF", () -> {
            ErrnoException e = expectErrno(Errno.EBADF, () -> sys.close(-1));
            equal("close: bad file descriptor", e.getMessage(), "message");
            return e.getMessage();
        });
        checks.put("close of a closed fd fails with EBADF", () -> {
            int[] fds = sys.seqpacketPair();
            sys.close(fds[0]);
            sys.close(fds[1]);
            expectErrno(Errno.EBADF, () -> sys.close(fds[0]));
            return "";
        });
        checks.put("sendMessage of a bad fd fails with EBADF", () -> {
            int[] channel = sys.seqpacketPair();
            try {
                ErrnoException e = expectErrno(Errno.EBADF, () -> sys.sendMessage(channel[0], bytes("x"), -1));
                equal("sendmsg: bad file descriptor", e.getMessage(), "message");
                return e.getMessage();
            } finally {
                sys.close(channel[0]);
                sys.close(channel[1]);
            }
        });
        // --- process lifecycle calls

        checks.put("seqpacketPair gives two connected close-on-exec sockets", () -> {
            int[] fds = sys.seqpacketPair();
            try {
                equal(2, fds.length, "fds");
                if (fds[0] < 0 || fds[1] < 0 || fds[0] == fds[1]) {
                    throw new AssertionError("bad fds " + fds[0] + ", " + fds[1]);
                }
                for (int fd : fds) {
                    startsWith("socket:[", link(fd), "fd " + fd);
                    closeOnExec(fd);
                }
                sys.write(fds[1], bytes("ping"));
                equal("ping", string(sys.read(fds[0], 100)), "read");
                return "fds " + fds[0] + ", " + fds[1];
            } finally {
                sys.close(fds[0]);
                sys.close(fds[1]);
            }
        });
        checks.put("seqpacket keeps message boundaries, cuts a long one, EOF after the peer closed", () -> {
            int[] fds = sys.seqpacketPair();
            try {
                sys.write(fds[0], bytes("first"));
                sys.write(fds[0], bytes("second"));
                sys.write(fds[0], bytes("a-long-message"));
                sys.write(fds[0], bytes("next"));
                equal("first", string(sys.read(fds[1], 100)), "1st read");
                equal("second", string(sys.read(fds[1], 100)), "2nd read");
                equal("a-lo", string(sys.read(fds[1], 4)), "3rd read (max 4)");
                equal("next", string(sys.read(fds[1], 100)), "4th read (the rest of the 3rd message dropped)");
                sys.close(fds[0]);
                fds[0] = -1;
                equal(0, sys.read(fds[1], 100).length, "read after the peer closed");
                return "";
            } finally {
                if (fds[0] >= 0) {
                    sys.close(fds[0]);
                }
                sys.close(fds[1]);
            }
        });
        checks.put("read of a fifo takes what is there, EAGAIN while a writer has nothing, then EOF", () -> {
            Path dir = Files.createTempDirectory("jrunc-contract");
            Path fifo = dir.resolve("stream");
            int reader = -1;
            int writer = -1;
            try {
                sys.mkfifo(fifo.toString(), 0600);
                reader = sys.open(fifo.toString(), O_RDONLY | O_NONBLOCK);
                writer = sys.open(fifo.toString(), O_WRONLY);
                int r = reader;
                expectErrno(Errno.EAGAIN, () -> sys.read(r, 100));
                sys.write(writer, bytes("abc"));
                sys.write(writer, bytes("def"));
                sys.write(writer, new byte[0]);
                sys.close(writer);
                writer = -1;
                equal("ab", string(sys.read(reader, 2)), "read of 2");
                equal("cdef", string(sys.read(reader, 100)), "read of 100");
                equal(0, sys.read(reader, 100).length, "read at EOF");
                equal(0, sys.read(reader, 100).length, "read at EOF again");
                return "";
            } finally {
                for (int fd : new int[] {reader, writer}) {
                    if (fd >= 0) {
                        sys.close(fd);
                    }
                }
                deleteTree(dir);
            }
        });
        checks.put("read of a bad fd fails with EBADF, a negative max with EINVAL", () -> {
            ErrnoException e = expectErrno(Errno.EBADF, () -> sys.read(-1, 10));
            equal("read: bad file descriptor", e.getMessage(), "message");
            int[] fds = sys.seqpacketPair();
            try {
                expectErrno(Errno.EINVAL, () -> sys.read(fds[0], -1));
            } finally {
                sys.close(fds[0]);
                sys.close(fds[1]);
            }
            return e.getMessage();
        });
        checks.put("write to a socket whose peer is closed fails with EPIPE (no SIGPIPE)", () -> {
            int[] fds = sys.seqpacketPair();
            try {
                sys.close(fds[1]);
                ErrnoException e = expectErrno(Errno.EPIPE, () -> sys.write(fds[0], bytes("lost")));
                equal("write: broken pipe", e.getMessage(), "message");
                expectErrno(Errno.EBADF, () -> sys.write(-1, bytes("x")));
                return e.getMessage();
            } finally {
                sys.close(fds[0]);
            }
        });
        checks.put("memfdCreate gives a close-on-exec memfd", () -> {
            int fd = sys.memfdCreate("jrunc-contract");
            try {
                equal("/memfd:jrunc-contract (deleted)", link(fd), "fd " + fd);
                closeOnExec(fd);
                return "fd " + fd;
            } finally {
                sys.close(fd);
            }
        });
        checks.put("memfd written through /proc/self/fd, sealed, then refuses writes", () -> {
            int fd = sys.memfdCreate("jrunc-contract-sealed");
            try {
                Path file = Path.of("/proc/self/fd/" + fd);
                Files.writeString(file, "the plan");
                sys.write(fd, bytes("THE"));
                equal("THE plan", Files.readString(file), "contents");
                equal(" plan", string(sys.read(fd, 100)), "read from the fd's offset");
                sys.sealMemfd(fd);
                ErrnoException e = expectErrno(Errno.EPERM, () -> sys.write(fd, bytes("more")));
                equal("write: operation not permitted", e.getMessage(), "message");
                try {
                    Files.writeString(file, "replaced");
                    throw new AssertionError("writing the sealed memfd through " + file + " succeeded");
                } catch (IOException expected) {
                    // refused: F_SEAL_SHRINK (the truncation) or F_SEAL_WRITE
                }
                equal("THE plan", Files.readString(file), "contents after the seal");
                ErrnoException again = expectErrno(Errno.EPERM, () -> sys.sealMemfd(fd));
                equal("fcntl: operation not permitted", again.getMessage(), "second seal");
                return e.getMessage();
            } finally {
                sys.close(fd);
            }
        });
        checks.put("sealMemfd of a socket fails with EINVAL", () -> {
            int[] fds = sys.seqpacketPair();
            try {
                return expectErrno(Errno.EINVAL, () -> sys.sealMemfd(fds[0])).getMessage();
            } finally {
                sys.close(fds[0]);
                sys.close(fds[1]);
            }
        });
        checks.put("spawn maps a socket to fd 3 of /bin/sh", () -> {
            Run r = runChild("/bin/sh", List.of("sh", "-c", "echo hello >&3"), List.of(), fdMap(4), 3);
            equal(0, r.status(), "wait status");
            equal("hello\n", r.out(), "what arrived");
            return "pid " + r.pid();
        });
        checks.put("spawned child has the mapped fds only, close-on-exec or not", () -> {
            // an fd the JDK opened without O_CLOEXEC: only closefrom keeps it out of the child
            Path leaky = Files.createTempFile("jrunc-contract-leak", "");
            try (FileInputStream in = new FileInputStream(leaky.toFile())) {
                if (!in.getFD().valid()) {
                    throw new AssertionError("no fd for " + leaky);
                }
                int inherited = fdOf(leaky);
                boolean cloexec = isCloseOnExec(inherited);
                // no redirection in sh: dash redirects in the shell itself (and vforks), which would
                // show in the listing
                Run r = runChild("/bin/sh", List.of("sh", "-c", "ls /proc/$$/fd; exit 0"), List.of(), fdMap(3), 1);
                equal(0, r.status(), "wait status");
                equal(List.of("1"), Arrays.asList(r.out().trim().split("\\s+")), "the child's fds (0 and 2 closed)");
                return "fd " + inherited + " (" + (cloexec ? "" : "not ") + "close-on-exec here) and the"
                        + " parent's fds 0 and 2 not inherited";
            } finally {
                Files.deleteIfExists(leaky);
            }
        });
        checks.put("spawn swaps two fds (each source is the other's target)", () -> {
            int[] a = sys.seqpacketPair();
            int[] b = sys.seqpacketPair();
            try {
                int p = a[1];
                int q = b[1];
                if (p < 3 || q < 3) {
                    throw new AssertionError("expected fds above stdio, got " + p + ", " + q);
                }
                int[] map = fdMap(Math.max(p, q) + 1);
                map[p] = q;
                map[q] = p;
                Run r = runChild("/bin/sh", List.of("sh", "-c", "readlink /proc/$$/fd/" + p + " /proc/$$/fd/" + q + "; exit 0"),
                        List.of(), map, 1);
                equal(0, r.status(), "wait status");
                equal(link(q) + "\n" + link(p) + "\n", r.out(), "the child's fd " + p + ", fd " + q);
                return "fds " + p + " <-> " + q;
            } finally {
                for (int fd : new int[] {a[0], a[1], b[0], b[1]}) {
                    sys.close(fd);
                }
            }
        });
        checks.put("spawn maps a close-on-exec fd onto its own number", () -> {
            int[] a = sys.seqpacketPair();
            try {
                int p = a[1];
                int[] map = fdMap(p + 1);
                map[p] = p;
                Run r = runChild("/bin/sh", List.of("sh", "-c", "readlink /proc/$$/fd/" + p + "; exit 0"), List.of(), map, 1);
                equal(0, r.status(), "wait status");
                equal(link(p) + "\n", r.out(), "the child's fd " + p);
                return "fd " + p;
            } finally {
                sys.close(a[0]);
                sys.close(a[1]);
            }
        });
        checks.put("spawn passes envp exactly", () -> {
            List<String> env = List.of("A=1", "B=two words", "EMPTY=", "UNICODE=\u00e9t\u00e9");
            Run r = runChild("/usr/bin/env", List.of("env"), env, fdMap(2), 1);
            equal(0, r.status(), "wait status");
            equal(String.join("\n", env) + "\n", r.out(), "env's output");
            Run none = runChild("/usr/bin/env", List.of("env"), List.of(), fdMap(2), 1);
            equal("", none.out(), "env's output with an empty environment");
            return "";
        });
        checks.put("spawn passes argv exactly, argv[0] other than the path", () -> {
            List<String> argv = List.of("jrunc-argv0", "-c", "cat /proc/$$/cmdline >&3; exit 0", "x", "a b", "");
            Run r = runChild("/bin/sh", argv, List.of(), fdMap(4), 3);
            equal(0, r.status(), "wait status");
            equal(String.join("\0", argv) + "\0", r.out(), "/proc/PID/cmdline");
            return "";
        });
        checks.put("spawned child starts with no blocked or ignored signal", () -> {
            // grep itself, not a shell: dash blocks every signal around its vfork, which a child
            // of it reading /proc/<the shell>/status may see
            Run r = runChild("/bin/grep", List.of("grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"),
                    List.of(), fdMap(2), 1);
            equal(0, r.status(), "wait status");
            equal("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", r.out(), "/proc/PID/status");
            return "";
        });
        checks.put("spawn of a missing program fails with ENOENT", () -> {
            ErrnoException e = expectErrno(Errno.ENOENT,
                    () -> sys.spawn("/nonexistent/jrunc-contract", List.of("x"), List.of(), fdMap(0)));
            equal("posix_spawn: no such file or directory", e.getMessage(), "message");
            return e.getMessage();
        });
        checks.put("spawn with a source fd that is not open fails with EBADF", () -> {
            int[] fds = sys.seqpacketPair();
            sys.close(fds[0]);
            sys.close(fds[1]);
            int[] map = fdMap(1);
            map[0] = fds[0];
            ErrnoException e = expectErrno(Errno.EBADF, () -> sys.spawn("/bin/true", List.of("true"), List.of(), map));
            map[0] = -2;
            expectErrno(Errno.EBADF, () -> sys.spawn("/bin/true", List.of("true"), List.of(), map));
            return "fd " + fds[0] + ": " + e.getMessage();
        });
        checks.put("strings holding NUL are refused with EINVAL", () -> {
            expectErrno(Errno.EINVAL, () -> sys.spawn("/bin/true", List.of("tr\0ue"), List.of(), fdMap(0)));
            expectErrno(Errno.EINVAL, () -> sys.spawn("/bin/true", List.of("true"), List.of("A=\0"), fdMap(0)));
            expectErrno(Errno.EINVAL, () -> sys.spawn("/bin/true\0", List.of("true"), List.of(), fdMap(0)));
            expectErrno(Errno.EINVAL, () -> sys.open("/dev/null\0x", O_RDONLY));
            expectErrno(Errno.EINVAL, () -> sys.mkfifo("/tmp/\0", 0600));
            expectErrno(Errno.EINVAL, () -> sys.memfdCreate("a\0b"));
            return "";
        });
        checks.put("waitpid gives the exit status", () -> {
            Run r = runChild("/bin/sh", List.of("sh", "-c", "exit 7"), List.of(), fdMap(1), 0);
            equal(7 << 8, r.status(), "wait status");
            return "status 0x" + Integer.toHexString(r.status());
        });
        checks.put("waitpid with noHang is -1 while the child runs", () -> {
            int[] gate = spawnGated("read line; exit 0");
            int pid = gate[1];
            try {
                equal(-1, sys.waitpid(pid, true), "waitpid(noHang) while it waits for a line");
                equal(-1, sys.waitpid(pid, true), "again");
                sys.close(gate[0]);
                gate[0] = -1;
                equal(0, sys.waitpid(pid, false), "wait status once its input ended");
            } finally {
                if (gate[0] >= 0) {
                    sys.close(gate[0]);
                }
            }
            return "pid " + pid;
        });
        checks.put("pidfdOpen: readable once the process has exited, ESRCH once it is gone", () -> {
            int[] gate = spawnGated("read line");
            int pid = gate[1];
            int pidfd = -1;
            try {
                pidfd = sys.pidfdOpen(pid);
                equal(0, sys.poll(pidfd, Syscalls.POLLIN, 0), "poll while it runs");
                sys.kill(pid, SIGKILL);
                equal(Syscalls.POLLIN, sys.poll(pidfd, Syscalls.POLLIN, 5000) & Syscalls.POLLIN, "readable once dead, not yet reaped");
                equal(SIGKILL, sys.waitpid(pid, false) & 0x7f, "killed");
            } finally {
                if (pidfd >= 0) {
                    sys.close(pidfd);
                }
                sys.close(gate[0]);
            }
            ErrnoException e = expectErrno(Errno.ESRCH, () -> sys.pidfdOpen(pid));
            return "pid " + pid + "; " + e.getMessage();
        });
        checks.put("waitpid reports a death by signal (the child's SIGTERM is default)", () -> {
            int[] gate = spawnGated("read line");
            int pid = gate[1];
            try {
                sys.kill(pid, SIGTERM);
                int status = sys.waitpid(pid, false);
                equal(SIGTERM, status, "wait status");
                return "status " + status;
            } finally {
                sys.close(gate[0]);
            }
        });
        checks.put("waitpid of a pid that is not our child fails with ECHILD", () -> {
            Run r = runChild("/bin/true", List.of("true"), List.of(), fdMap(1), 0);
            ErrnoException e = expectErrno(Errno.ECHILD, () -> sys.waitpid(r.pid(), false));
            equal("waitpid: no child processes", e.getMessage(), "message");
            expectErrno(Errno.ECHILD, () -> sys.waitpid(r.pid(), true));
            int unused = unusedPid();
            expectErrno(Errno.ECHILD, () -> sys.waitpid(unused, false));
            return "reaped pid " + r.pid() + ", unused pid " + unused + ": " + e.getMessage();
        });
        checks.put("mkfifo makes a fifo with exactly the mode, whatever the umask", () -> {
            int umask = umask();
            if (expected.ownProcess() && umask != 077) {
                throw new AssertionError("this run should have umask 077, has 0" + Integer.toOctalString(umask));
            }
            Path dir = Files.createTempDirectory("jrunc-contract-fifo");
            try {
                for (int mode : new int[] {0622, 0640, 0777, 0}) {
                    Path fifo = dir.resolve("fifo-" + Integer.toOctalString(mode));
                    sys.mkfifo(fifo.toString(), mode);
                    if (!Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                        throw new AssertionError(fifo + " is not a fifo");
                    }
                    equal("0" + Integer.toOctalString(mode), "0" + Integer.toOctalString(mode(fifo)), "mode of " + fifo);
                }
                return "umask 0" + Integer.toOctalString(umask);
            } finally {
                deleteTree(dir);
            }
        });
        checks.put("mkfifo fails with EEXIST over a file, EINVAL for a mode beyond 07777", () -> {
            Path dir = Files.createTempDirectory("jrunc-contract-fifo");
            try {
                Path fifo = dir.resolve("fifo");
                sys.mkfifo(fifo.toString(), 0600);
                ErrnoException e = expectErrno(Errno.EEXIST, () -> sys.mkfifo(fifo.toString(), 0600));
                equal("mkfifo: file exists", e.getMessage(), "message");
                Path other = dir.resolve("other");
                expectErrno(Errno.EINVAL, () -> sys.mkfifo(other.toString(), 010600));
                expectErrno(Errno.EINVAL, () -> sys.mkfifo(other.toString(), -1));
                if (Files.exists(other, LinkOption.NOFOLLOW_LINKS)) {
                    throw new AssertionError(other + " was made");
                }
                return e.getMessage();
            } finally {
                deleteTree(dir);
            }
        });
        checks.put("open O_PATH of a fifo does not block, and is close-on-exec", () -> {
            Path dir = Files.createTempDirectory("jrunc-contract-fifo");
            try {
                Path fifo = dir.resolve("exec.fifo");
                sys.mkfifo(fifo.toString(), 0622);
                int[] opened = {-1};
                ErrnoException[] failed = {null};
                Thread opener = new Thread(() -> {
                    try {
                        opened[0] = sys.open(fifo.toString(), O_PATH);
                    } catch (ErrnoException e) {
                        failed[0] = e;
                    }
                });
                opener.start();
                opener.join(5000);
                if (opener.isAlive()) {
                    // unblock it: a writer that does not wait
                    int w = sys.open(fifo.toString(), O_WRONLY | O_NONBLOCK);
                    opener.join();
                    sys.close(w);
                    if (opened[0] >= 0) {
                        sys.close(opened[0]);
                    }
                    throw new AssertionError("open(O_PATH) of a fifo blocked");
                }
                if (failed[0] != null) {
                    throw failed[0];
                }
                int fd = opened[0];
                try {
                    equal(fifo.toString(), link(fd), "fd " + fd);
                    closeOnExec(fd);
                    int flags = fdFlags(fd);
                    if ((flags & O_PATH) == 0) {
                        throw new AssertionError("fd " + fd + " has no O_PATH (flags 0" + Integer.toOctalString(flags) + ")");
                    }
                    return "fd " + fd;
                } finally {
                    sys.close(fd);
                }
            } finally {
                deleteTree(dir);
            }
        });
        checks.put("open of a missing path fails with ENOENT", () -> {
            ErrnoException e = expectErrno(Errno.ENOENT, () -> sys.open("/nonexistent/jrunc-contract", O_RDONLY));
            equal("open: no such file or directory", e.getMessage(), "message");
            return e.getMessage();
        });
        checks.put("fifo carries writes; without a reader write fails with EPIPE (no SIGPIPE)", () -> {
            Path dir = Files.createTempDirectory("jrunc-contract-fifo");
            try {
                Path fifo = dir.resolve("fifo");
                sys.mkfifo(fifo.toString(), 0600);
                ErrnoException nobody = expectErrno(Errno.ENXIO, () -> sys.open(fifo.toString(), O_WRONLY | O_NONBLOCK));
                int r = sys.open(fifo.toString(), O_RDONLY | O_NONBLOCK);
                int w = -1;
                try {
                    w = sys.open(fifo.toString(), O_WRONLY | O_NONBLOCK);
                    closeOnExec(r);
                    closeOnExec(w);
                    sys.write(w, bytes("through the fifo"));
                    equal("through the fifo", string(sys.read(r, 100)), "read");
                } finally {
                    sys.close(r);
                }
                try {
                    int writer = w;
                    ErrnoException e = expectErrno(Errno.EPIPE, () -> sys.write(writer, bytes("lost")));
                    return e.getMessage() + "; opening for writing without a reader: " + nobody.getMessage();
                } finally {
                    sys.close(w);
                }
            } finally {
                deleteTree(dir);
            }
        });
        checks.put("seccompCompile gives a BPF program with the rule's errno and the default action", () -> {
            // default ALLOW; mkdir -> ERRNO(1); a name libseccomp does not know is skipped
            byte[] filter = seccompFilter(0x7fff0000L, List.of(), List.of("mkdir", "no_such_syscall"), 0x00050001L);
            int[] where = {0, -1};
            byte[] program = sys.seccompCompile(filter, where);
            if (program.length == 0 || program.length % 8 != 0) {
                throw new AssertionError("program of " + program.length + " bytes");
            }
            List<Long> ks = new ArrayList<>();
            for (int i = 0; i < program.length; i += 8) {
                ks.add((program[i + 4] & 0xffL) | (program[i + 5] & 0xffL) << 8 | (program[i + 6] & 0xffL) << 16
                        | (program[i + 7] & 0xffL) << 24);
            }
            if (!ks.contains(0x00050001L) || !ks.contains(0x7fff0000L)) {
                throw new AssertionError("no SECCOMP_RET_ERRNO|1 or ALLOW in " + ks);
            }
            return (program.length / 8) + " instructions";
        });
        checks.put("seccompCompile reports an unknown arch (stage 3) and a malformed encoding (stage 1)", () -> {
            int[] where = {0, -1};
            expectErrno(Errno.EINVAL, () -> sys.seccompCompile(
                    seccompFilter(0x7fff0000L, List.of("x86_64", "no_such_arch"), List.of("mkdir"), 0x00050001L), where));
            equal(3, where[0], "stage");
            equal(1, where[1], "arch index");
            byte[] filter = seccompFilter(0x7fff0000L, List.of(), List.of("mkdir"), 0x00050001L);
            int[] where2 = {0, -1};
            expectErrno(Errno.EINVAL, () -> sys.seccompCompile(java.util.Arrays.copyOf(filter, filter.length - 1), where2));
            equal(1, where2[0], "stage");
            return "stages " + where[0] + ", " + where2[0];
        });
        checks.put("seccompFlagSupported: LOG yes, an unknown bit no", () -> {
            if (!sys.seccompFlagSupported(2)) {
                throw new AssertionError("SECCOMP_FILTER_FLAG_LOG (kernel 4.14) not supported");
            }
            if (sys.seccompFlagSupported(1 << 30)) {
                throw new AssertionError("bit 30 supported");
            }
            return "";
        });
        checks.put("recvMessage gets one message and the fd sent with it (close-on-exec), EMSGSIZE when too long", () -> {
            int[] channel = sys.seqpacketPair();
            int[] payload = sys.seqpacketPair();
            int received = -1;
            try {
                sys.sendMessage(channel[0], new byte[] {0}, payload[1]);
                Syscalls.Message m = sys.recvMessage(channel[1], 16);
                received = m.fd();
                equal(1, m.data().length, "data length");
                equal(link(payload[1]), link(received), "received fd's file");
                closeOnExec(received);
                sys.write(channel[0], "plain".getBytes(StandardCharsets.US_ASCII));
                Syscalls.Message plain = sys.recvMessage(channel[1], 16);
                equal("plain", new String(plain.data(), StandardCharsets.US_ASCII), "message");
                equal(-1, plain.fd(), "fd of a message without one");
                sys.write(channel[0], "a longer message".getBytes(StandardCharsets.US_ASCII));
                expectErrno(Errno.EMSGSIZE, () -> sys.recvMessage(channel[1], 4));
                sys.close(channel[0]);
                equal(0, sys.recvMessage(channel[1], 16).data().length, "EOF");
                return "received " + received;
            } finally {
                if (received >= 0) {
                    sys.close(received);
                }
                for (int fd : new int[] {channel[1], payload[0], payload[1]}) {
                    sys.close(fd);
                }
            }
        });
        checks.put("unixSendFd sends the data to a listening socket; ENOENT without one", () -> {
            Path dir = Files.createTempDirectory("jrunc-contract");
            Path sock = dir.resolve("agent.sock");
            int[] payload = sys.seqpacketPair();
            try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                server.bind(java.net.UnixDomainSocketAddress.of(sock));
                sys.unixSendFd(sock.toString(), "{\"state\":1}".getBytes(StandardCharsets.UTF_8), payload[0]);
                try (java.nio.channels.SocketChannel conn = server.accept()) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64);
                    while (conn.read(buf) > 0) {
                        // until the sender closes
                    }
                    equal("{\"state\":1}", new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8), "data");
                }
                expectErrno(Errno.ENOENT, () -> sys.unixSendFd(dir.resolve("none.sock").toString(), new byte[] {1}, payload[0]));
                return "";
            } finally {
                sys.close(payload[0]);
                sys.close(payload[1]);
                Files.deleteIfExists(sock);
                Files.deleteIfExists(dir);
            }
        });
        defineTerminals();
        defineBpf();
    }

    // struct bpf_insn: code, dst | src << 4, off (le16), imm (le32)
    private static final byte[] BPF_ALLOW_ALL = {(byte) 0xb4, 0, 0, 0, 1, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] BPF_DENY_ALL = {(byte) 0xb4, 0, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
    /** exit without setting R0: the verifier refuses it (R0 !read_ok). */
    private static final byte[] BPF_BAD = {(byte) 0x95, 0, 0, 0, 0, 0, 0, 0};

    /** bpf(2) for cgroup v2 device programs (root only; the attach checks need a cgroup2 mount). */
    private void defineBpf() {
        checks.put("bpfLoadCgroupDeviceProgram loads a program (close-on-exec); the verifier's refusal comes with its log", () -> {
            if (expected.euid() != 0) {
                return "not root: skipped";
            }
            int fd = sys.bpfLoadCgroupDeviceProgram(BPF_ALLOW_ALL, "Apache", new StringBuilder());
            try {
                closeOnExec(fd);
                startsWith("anon_inode:bpf-prog", link(fd), "program fd");
            } finally {
                sys.close(fd);
            }
            StringBuilder log = new StringBuilder();
            expectErrno(Errno.EACCES, () -> sys.bpfLoadCgroupDeviceProgram(BPF_BAD, "Apache", log));
            if (!log.toString().contains("R0")) {
                throw new AssertionError("verifier log without R0: " + log);
            }
            expectErrno(Errno.EINVAL, () -> sys.bpfLoadCgroupDeviceProgram(Arrays.copyOf(BPF_ALLOW_ALL, 12), "Apache", new StringBuilder()));
            expectErrno(Errno.EINVAL, () -> sys.bpfLoadCgroupDeviceProgram(new byte[0], "Apache", new StringBuilder()));
            return "log: " + log.toString().strip().replace('\n', ' ');
        });
        checks.put("bpf attach, query, replace and detach of device programs on a cgroup2 directory", () -> {
            Path mount = cgroup2Mount();
            if (expected.euid() != 0 || mount == null) {
                return "not root or no cgroup2: skipped";
            }
            Path dir = Files.createDirectory(mount.resolve("jrunc-contract-" + ProcessHandle.current().pid()));
            List<Integer> fds = new ArrayList<>();
            try {
                int cgroup = sys.open(dir.toString(), 0200000);
                fds.add(cgroup);
                int[] ids = new int[4];
                equal(0, sys.bpfQueryCgroupDevice(cgroup, ids), "programs of a new cgroup");
                int a = sys.bpfLoadCgroupDeviceProgram(BPF_ALLOW_ALL, "Apache", new StringBuilder());
                fds.add(a);
                int b = sys.bpfLoadCgroupDeviceProgram(BPF_DENY_ALL, "Apache", new StringBuilder());
                fds.add(b);
                sys.bpfAttachCgroupDevice(cgroup, a, -1);
                equal(1, sys.bpfQueryCgroupDevice(cgroup, ids), "programs after one attach");
                int idA = ids[0];
                int again = sys.bpfProgramFd(idA);
                fds.add(again);
                closeOnExec(again);
                sys.bpfAttachCgroupDevice(cgroup, b, again);
                equal(1, sys.bpfQueryCgroupDevice(cgroup, ids), "programs after a replace");
                if (ids[0] == idA) {
                    throw new AssertionError("the replaced program is still attached (id " + idA + ")");
                }
                sys.bpfAttachCgroupDevice(cgroup, a, -1);
                equal(2, sys.bpfQueryCgroupDevice(cgroup, ids), "programs after adding one");
                equal(2, sys.bpfQueryCgroupDevice(cgroup, new int[1]), "count when the ids do not fit");
                expectErrno(Errno.EINVAL, () -> sys.bpfAttachCgroupDevice(cgroup, a, -1)); // attached already
                sys.bpfDetachCgroupDevice(cgroup, a);
                sys.bpfDetachCgroupDevice(cgroup, b);
                equal(0, sys.bpfQueryCgroupDevice(cgroup, ids), "programs after detaching both");
                expectErrno(Errno.ENOENT, () -> sys.bpfDetachCgroupDevice(cgroup, b));
                expectErrno(Errno.ENOENT, () -> sys.bpfProgramFd(Integer.MAX_VALUE));
                return "replaced " + idA + " with " + ids[0];
            } finally {
                for (int fd : fds) {
                    sys.close(fd);
                }
                Files.delete(dir);
            }
        });
    }

    /** Where a cgroup2 hierarchy is mounted, or null. */
    private static Path cgroup2Mount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = Arrays.asList(f).indexOf("-");
            if (dash > 0 && dash + 1 < f.length && f[dash + 1].equals("cgroup2")) {
                return Path.of(f[4]);
            }
        }
        return null;
    }

    /** The terminal and unix-socket calls (process.terminal, --console-socket, NOTIFY_SOCKET). */
    private void defineTerminals() {
        checks.put("openpty gives a close-on-exec master and slave that talk (ONLCR until cleared)", () -> {
            int[] pty = sys.openpty();
            try {
                startsWith("/dev/ptmx", link(pty[0]), "master");
                startsWith("/dev/pts/", link(pty[1]), "slave");
                closeOnExec(pty[0]);
                closeOnExec(pty[1]);
                sys.write(pty[1], bytes("hi\n"));
                equal("hi\r\n", string(readFully(pty[0], 4)), "through the pty");
                sys.clearOnlcr(pty[0]);
                sys.write(pty[1], bytes("x\n"));
                equal("x\n", string(readFully(pty[0], 2)), "without ONLCR");
                return link(pty[1]);
            } finally {
                sys.close(pty[0]);
                sys.close(pty[1]);
            }
        });
        checks.put("setWinsize and getWinsize agree; ENOTTY on a socket, EINVAL out of range", () -> {
            int[] pty = sys.openpty();
            int[] pair = sys.seqpacketPair();
            try {
                sys.setWinsize(pty[0], 33, 101);
                equal("[33, 101]", Arrays.toString(sys.getWinsize(pty[1])), "size seen on the slave");
                ErrnoException e = expectErrno(Errno.ENOTTY, () -> sys.getWinsize(pair[0]));
                expectErrno(Errno.ENOTTY, () -> sys.setWinsize(pair[0], 1, 1));
                expectErrno(Errno.EINVAL, () -> sys.setWinsize(pty[0], 70000, 1));
                expectErrno(Errno.EINVAL, () -> sys.setWinsize(pty[0], 1, -1));
                expectErrno(Errno.EBADF, () -> sys.getWinsize(-1));
                return e.getMessage();
            } finally {
                sys.close(pty[0]);
                sys.close(pty[1]);
                sys.close(pair[0]);
                sys.close(pair[1]);
            }
        });
        checks.put("setRaw turns output processing off; tcsetattr restores what tcgetattr saved", () -> {
            int[] pty = sys.openpty();
            int[] pair = sys.seqpacketPair();
            try {
                byte[] saved = sys.tcgetattr(pty[1]);
                sys.setRaw(pty[1]);
                sys.write(pty[1], bytes("a\n"));
                equal("a\n", string(readFully(pty[0], 2)), "raw");
                sys.tcsetattr(pty[1], saved);
                sys.write(pty[1], bytes("b\n"));
                equal("b\r\n", string(readFully(pty[0], 3)), "restored");
                ErrnoException e = expectErrno(Errno.ENOTTY, () -> sys.tcgetattr(pair[0]));
                expectErrno(Errno.ENOTTY, () -> sys.setRaw(pair[0]));
                expectErrno(Errno.EINVAL, () -> sys.tcsetattr(pty[1], Arrays.copyOf(saved, saved.length - 1)));
                return saved.length + " bytes of termios; " + e.getMessage();
            } finally {
                sys.close(pty[0]);
                sys.close(pty[1]);
                sys.close(pair[0]);
                sys.close(pair[1]);
            }
        });
        checks.put("poll: 0 on timeout, POLLIN once data is there, POLLNVAL for a closed fd", () -> {
            int[] pair = sys.seqpacketPair();
            int closed;
            try {
                equal(0, sys.poll(pair[0], Syscalls.POLLIN, 0), "nothing to read");
                long t0 = System.nanoTime();
                equal(0, sys.poll(pair[0], Syscalls.POLLIN, 50), "timeout");
                if (System.nanoTime() - t0 < 40_000_000L) {
                    throw new AssertionError("poll returned before its timeout");
                }
                sys.write(pair[1], bytes("x"));
                equal(Syscalls.POLLIN, sys.poll(pair[0], Syscalls.POLLIN, 1000) & Syscalls.POLLIN, "readable");
                sys.close(pair[1]);
                int hup = sys.poll(pair[0], Syscalls.POLLIN, 1000);
                if ((hup & Syscalls.POLLHUP) == 0) {
                    throw new AssertionError("no POLLHUP once the peer is closed: " + hup);
                }
            } finally {
                sys.close(pair[0]);
                closed = pair[0];
            }
            equal(Syscalls.POLLNVAL, sys.poll(closed, Syscalls.POLLIN, 0), "closed fd");
            return "";
        });
        checks.put("sendMessage and recvMessage carry bytes and a close-on-exec fd in one message", () -> {
            int[] pair = sys.seqpacketPair();
            int[] pty = sys.openpty();
            try {
                sys.sendMessage(pair[0], bytes("console"), pty[0]);
                sys.write(pair[0], bytes("ready"));
                Syscalls.Message m = sys.recvMessage(pair[1], 4096);
                equal("console", string(m.data()), "message");
                try {
                    equal(link(pty[0]), link(m.fd()), "the fd received");
                    closeOnExec(m.fd());
                } finally {
                    sys.close(m.fd());
                }
                Syscalls.Message plain = sys.recvMessage(pair[1], 4096);
                equal("ready", string(plain.data()), "message without fd");
                equal(-1, plain.fd(), "no fd");
                expectErrno(Errno.EINVAL, () -> sys.sendMessage(pair[0], new byte[0], pty[0]));
                ErrnoException e = expectErrno(Errno.EBADF, () -> sys.sendMessage(pair[0], bytes("x"), -1));
                sys.close(pair[0]);
                Syscalls.Message eof = sys.recvMessage(pair[1], 4096);
                equal(0, eof.data().length, "EOF");
                equal(-1, eof.fd(), "no fd at EOF");
                return e.getMessage();
            } finally {
                sys.close(pair[1]);
                sys.close(pty[0]);
                sys.close(pty[1]);
            }
        });
        checks.put("bindUnixgram and connectUnix: a datagram arrives whole; ENOENT, EADDRINUSE, ENAMETOOLONG", () -> {
            Path dir = Files.createTempDirectory("jrunc-contract-unix");
            try {
                Path path = dir.resolve("notify.sock");
                int server = sys.bindUnixgram(path.toString());
                try {
                    closeOnExec(server);
                    if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                        throw new AssertionError(path + " is not a socket");
                    }
                    expectErrno(98, () -> sys.bindUnixgram(path.toString())); // EADDRINUSE
                    int client = sys.connectUnix(path.toString(), true);
                    try {
                        closeOnExec(client);
                        sys.write(client, bytes("READY=1"));
                        sys.write(client, bytes("MAINPID=1\n"));
                        equal("READY=1", string(sys.read(server, 4096)), "first datagram");
                        equal("MAINPID=1\n", string(sys.read(server, 4096)), "second datagram");
                    } finally {
                        sys.close(client);
                    }
                } finally {
                    sys.close(server);
                }
                ErrnoException e = expectErrno(Errno.ENOENT, () -> sys.connectUnix(dir.resolve("missing").toString(), false));
                equal("connect: no such file or directory", e.getMessage(), "message");
                expectErrno(Errno.ENAMETOOLONG, () -> sys.connectUnix("/" + "x".repeat(200), false));
                return e.getMessage();
            } finally {
                deleteTree(dir);
            }
        });
    }

    /** jrunc_seccomp_compile's encoding: default action, no attributes, archs, rules without conditions. */
    private static byte[] seccompFilter(long def, List<String> archs, List<String> names, long action) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        u32(out, def);
        u32(out, 0);
        u32(out, archs.size());
        for (String a : archs) {
            out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        u32(out, names.size());
        for (String n : names) {
            u32(out, action);
            out.writeBytes(n.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            u32(out, 0);
        }
        u32(out, 0); // no names for the -ENOSYS stub
        return out.toByteArray();
    }

    private static void u32(java.io.ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    /** Reads exactly {@code n} bytes (several reads if need be). */
    private byte[] readFully(int fd, int n) throws ErrnoException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            byte[] chunk = sys.read(fd, n - out.size());
            if (chunk.length == 0) {
                break;
            }
            out.write(chunk, 0, chunk.length);
        }
        return out.toByteArray();
    }

    /** Names of all checks, in order (the native run must report exactly these). */
    public static List<String> names() {
        return new ArrayList<>(new SyscallsContract(null, null).checks.keySet());
    }

    // --- helpers

    @FunctionalInterface
    private interface Call {
        void run() throws ErrnoException;
    }

    /**
     * {@code sh -c script} with its stdin the far end of a seqpacket pair: {near end, pid}. The
     * script's {@code read line} returns once the near end is closed.
     */
    private int[] spawnGated(String script) throws ErrnoException {
        int[] gate = sys.seqpacketPair();
        try {
            int[] map = fdMap(1);
            map[0] = gate[1];
            return new int[] {gate[0], sys.spawn("/bin/sh", List.of("sh", "-c", script), List.of(), map)};
        } catch (ErrnoException | RuntimeException e) {
            sys.close(gate[0]);
            throw e;
        } finally {
            sys.close(gate[1]);
        }
    }

    private static ErrnoException expectErrno(int errno, Call call) {
        try {
            call.run();
        } catch (ErrnoException e) {
            if (e.errno() != errno) {
                throw new AssertionError("expected errno " + errno + ", got " + e.errno() + " (" + e.getMessage() + ")");
            }
            return e;
        }
        throw new AssertionError("expected errno " + errno + ", the call succeeded");
    }

    private static void equal(Object expected, Object actual, String what) {
        boolean same = expected instanceof Number n && actual instanceof Number m
                ? n.longValue() == m.longValue()
                : expected.equals(actual);
        if (!same) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static void startsWith(String prefix, String actual, String what) {
        if (!actual.startsWith(prefix)) {
            throw new AssertionError(what + ": expected " + prefix + "..., got " + actual);
        }
    }

    /** A spawned child's pid, its wait status, and what it wrote to the captured fd. */
    private record Run(int pid, int status, String out) {}

    /**
     * Spawns {@code path}; the child's fd {@code capture} is a socket whose other end is read to
     * EOF (the rest of {@code fdMap} as given); then waits for the child.
     */
    private Run runChild(String path, List<String> argv, List<String> envp, int[] fdMap, int capture) throws Exception {
        int[] pair = sys.seqpacketPair();
        int pid;
        try {
            int[] map = fdMap.clone();
            map[capture] = pair[1];
            pid = sys.spawn(path, argv, envp, map);
        } catch (Exception e) {
            sys.close(pair[0]);
            throw e;
        } finally {
            sys.close(pair[1]);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] chunk = sys.read(pair[0], 4096); chunk.length > 0; chunk = sys.read(pair[0], 4096)) {
                out.write(chunk);
            }
            return new Run(pid, sys.waitpid(pid, false), out.toString(StandardCharsets.UTF_8));
        } finally {
            sys.close(pair[0]);
        }
    }

    /** An fd map of {@code n} closed fds. */
    private static int[] fdMap(int n) {
        int[] map = new int[n];
        Arrays.fill(map, -1);
        return map;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The fd of this process that refers to {@code file}. */
    private static int fdOf(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file.toRealPath())) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the directory's own fd, closed by now
                }
            }
        }
        throw new AssertionError("no fd of this process refers to " + file);
    }

    /** The umask of this process. */
    private static int umask() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) {
                return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
            }
        }
        throw new AssertionError("no Umask in /proc/self/status");
    }

    /** The parent pid of {@code pid}. */
    private static int parentOf(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("PPid:")) {
                return Integer.parseInt(line.substring("PPid:".length()).trim());
            }
        }
        throw new AssertionError("no PPid in /proc/" + pid + "/status");
    }

    /** The permission bits of {@code file}. */
    private static int mode(Path file) throws IOException {
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ (0) is 0400 ... OTHERS_EXECUTE (8) is 01
        }
        return mode;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String link(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    private static void closeOnExec(int fd) throws IOException {
        if (!isCloseOnExec(fd)) {
            throw new AssertionError("fd " + fd + " is not close-on-exec (flags 0" + Integer.toOctalString(fdFlags(fd)) + ")");
        }
    }

    private static boolean isCloseOnExec(int fd) throws IOException {
        return (fdFlags(fd) & O_CLOEXEC) != 0;
    }

    /** The open flags of {@code fd} ({@code /proc/self/fdinfo}). */
    private static int fdFlags(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring("flags:".length()).trim(), 8);
            }
        }
        throw new AssertionError("no flags in /proc/self/fdinfo/" + fd);
    }

    /** A pid that no process has (counting down from pid_max). */
    static int unusedPid() throws IOException {
        // not Files.readString: it reads /proc/sys files in two reads, and the second (at offset 1)
        // returns EOF there, leaving "3" of "32768"; a sysctl file must be read in one read
        int max = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
        for (int pid = max - 1; pid > 1; pid--) {
            if (!Files.exists(Path.of("/proc/" + pid))) {
                return pid;
            }
        }
        throw new IllegalStateException("no unused pid");
    }
}
