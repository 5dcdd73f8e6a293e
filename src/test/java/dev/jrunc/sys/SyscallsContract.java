package dev.jrunc.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The behaviour every {@link Syscalls} binding must have, checked the same way against the FFM
 * binding on the JVM (in surefire, {@code SyscallsContractTest}) and against the
 * {@code @CFunction} binding inside a native image ({@code SyscallsContractMain}, built by
 * {@code make} as {@code target/syscalls-contract} and run by the same test). Plain Java, no
 * JUnit, so that it compiles into the image. Add a check here when adding a call to
 * {@code Syscalls}: both bindings then have to pass it.
 */
public final class SyscallsContract {

    /** What the host says, found outside the binding under test ({@code id -ru}, {@code id -u}). */
    public record Expected(int uid, int euid) {}

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

    private final Syscalls sys;
    private final Expected expected;
    private final Map<String, Check> checks = new LinkedHashMap<>();

    private SyscallsContract(Syscalls sys, Expected expected) {
        this.sys = sys;
        this.expected = expected;
        define();
    }

    /** Runs every check against {@code sys}, in order; never throws. */
    public static List<Result> run(Syscalls sys, Expected expected) {
        SyscallsContract contract = new SyscallsContract(sys, expected);
        List<Result> results = new ArrayList<>();
        contract.checks.forEach((name, check) -> {
            try {
                results.add(new Result(name, true, check.run()));
            } catch (Throwable t) {
                results.add(new Result(name, false, String.valueOf(t)));
            }
        });
        return results;
    }

    private void define() {
        checks.put("getuid matches id -ru", () -> {
            equal(expected.uid(), sys.getuid(), "getuid");
            return "uid " + sys.getuid();
        });
        checks.put("geteuid matches id -u", () -> {
            equal(expected.euid(), sys.geteuid(), "geteuid");
            return "euid " + sys.geteuid();
        });
        checks.put("getuid is 0 as root", () -> {
            if (expected.euid() != 0) {
                return "not root: skipped";
            }
            equal(0, sys.getuid(), "getuid");
            return "";
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
        checks.put("socketpair gives two connected close-on-exec sockets", () -> {
            int[] fds = sys.socketpair();
            try {
                equal(2, fds.length, "fds");
                if (fds[0] < 0 || fds[1] < 0 || fds[0] == fds[1]) {
                    throw new AssertionError("bad fds " + fds[0] + ", " + fds[1]);
                }
                for (int fd : fds) {
                    startsWith("socket:[", link(fd), "fd " + fd);
                    closeOnExec(fd);
                }
                return "fds " + fds[0] + ", " + fds[1];
            } finally {
                sys.close(fds[0]);
                sys.close(fds[1]);
            }
        });
        checks.put("close of a closed fd fails with EBADF", () -> {
            int[] fds = sys.socketpair();
            sys.close(fds[0]);
            sys.close(fds[1]);
            expectErrno(Errno.EBADF, () -> sys.close(fds[0]));
            return "";
        });
        checks.put("sendFd and recvFd pass an fd (SCM_RIGHTS)", () -> {
            int[] channel = sys.socketpair();
            int[] payload = sys.socketpair();
            int received = -1;
            try {
                sys.sendFd(channel[0], payload[1]);
                received = sys.recvFd(channel[1]);
                if (received < 0 || received == payload[1]) {
                    throw new AssertionError("received fd " + received + " for sent fd " + payload[1]);
                }
                equal(link(payload[1]), link(received), "received fd's file");
                closeOnExec(received);
                return "sent " + payload[1] + " (" + link(payload[1]) + "), received " + received;
            } finally {
                if (received >= 0) {
                    sys.close(received);
                }
                for (int fd : new int[] {channel[0], channel[1], payload[0], payload[1]}) {
                    sys.close(fd);
                }
            }
        });
        checks.put("recvFd from a closed peer fails with ECONNRESET", () -> {
            int[] channel = sys.socketpair();
            try {
                sys.close(channel[0]);
                ErrnoException e = expectErrno(Errno.ECONNRESET, () -> sys.recvFd(channel[1]));
                equal("recvmsg: connection reset by peer", e.getMessage(), "message");
                return e.getMessage();
            } finally {
                sys.close(channel[1]);
            }
        });
        checks.put("sendFd of a bad fd fails with EBADF", () -> {
            int[] channel = sys.socketpair();
            try {
                ErrnoException e = expectErrno(Errno.EBADF, () -> sys.sendFd(channel[0], -1));
                equal("sendmsg: bad file descriptor", e.getMessage(), "message");
                return e.getMessage();
            } finally {
                sys.close(channel[0]);
                sys.close(channel[1]);
            }
        });
        checks.put("pidfdOpen(self) gives a close-on-exec pidfd", () -> {
            int fd = sys.pidfdOpen(sys.getpid());
            try {
                equal("anon_inode:[pidfd]", link(fd), "fd " + fd);
                closeOnExec(fd);
                return "fd " + fd;
            } finally {
                sys.close(fd);
            }
        });
        checks.put("pidfdOpen(unused pid) fails with ESRCH", () -> {
            int pid = unusedPid();
            ErrnoException e = expectErrno(Errno.ESRCH, () -> sys.pidfdOpen(pid));
            equal("pidfd_open: no such process", e.getMessage(), "message");
            return e.getMessage();
        });
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

    private static String link(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    private static void closeOnExec(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                int flags = Integer.parseInt(line.substring("flags:".length()).trim(), 8);
                if ((flags & O_CLOEXEC) == 0) {
                    throw new AssertionError("fd " + fd + " is not close-on-exec (flags 0" + Integer.toOctalString(flags) + ")");
                }
                return;
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
