package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.spec.model.Hook;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.IoErrors;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the host-side hooks (prestart, createRuntime, poststart, poststop) as runc's
 * {@code libcontainer/configs} Command.Run does: {@code path} with exactly {@code args} as its
 * argv ({@code [path]} when absent) through {@link Syscalls#spawn}, exactly {@code env} (jrunc's
 * own environment when absent, as Go's exec does), the state JSON on stdin, stdout and stderr
 * captured and shown only in the error, SIGKILL after {@code timeout} seconds. The errors are
 * runc's: {@code error running hook #N: error running hook: exit status 1, stdout: ..., stderr:
 * ...}, {@code error running hook #N: hook ran past specified timeout of 2.0s}, {@code error
 * running hook #N: fork/exec /x: no such file or directory}.
 *
 * <p>stdin, stdout and stderr are memfds (runc: pipes copied by goroutines): the state is
 * there to read whole, and a hook cannot block on a full pipe. The hook inherits no other fd.
 * They are written and read through {@code /proc/self/fd/N} (a new open file description: from
 * offset 0, the fd's own offset stays 0).
 */
public final class HookRunner {
    private static final int SIGKILL = 9;

    private HookRunner() {}

    /** Runs each hook in order; the first failure stops the rest and is thrown. */
    public static void run(Syscalls sys, RuntimeEnvironment env, List<Hook> hooks, byte[] state) throws JruncException {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            runOne(sys, env, i, hooks.get(i), state);
        }
    }

    private static void runOne(Syscalls sys, RuntimeEnvironment env, int index, Hook hook, byte[] state) throws JruncException {
        String prefix = "error running hook #" + index + ": ";
        List<Integer> fds = new ArrayList<>();
        try {
            int in = open(sys, fds, "hook-state");
            Files.write(env.fdPath(in), state);
            int out = open(sys, fds, "hook-stdout");
            int err = open(sys, fds, "hook-stderr");
            List<String> argv = hook.args() != null && !hook.args().isEmpty() ? hook.args() : List.of(hook.path());
            int pid;
            try {
                pid = sys.spawn(hook.path(), argv, environment(hook, env), new int[] {in, out, err});
            } catch (ErrnoException e) {
                throw new JruncException(prefix + "fork/exec " + hook.path() + ": " + dev.jrunc.sys.Errno.describe(e.errno()), e);
            }
            Integer status = waitFor(sys, pid, hook.timeout());
            if (status == null) {
                throw new JruncException(prefix + "hook ran past specified timeout of " + hook.timeout() + ".0s");
            }
            if (status != 0) {
                throw new JruncException(prefix + "error running hook: " + describe(status) + ", stdout: "
                        + Files.readString(env.fdPath(out), StandardCharsets.UTF_8) + ", stderr: "
                        + Files.readString(env.fdPath(err), StandardCharsets.UTF_8));
            }
        } catch (ErrnoException | IOException e) {
            throw new JruncException(prefix + IoErrors.message(e), e);
        } finally {
            for (int fd : fds) {
                try {
                    sys.close(fd);
                } catch (ErrnoException e) {
                    // nothing to undo
                }
            }
        }
    }

    private static int open(Syscalls sys, List<Integer> fds, String name) throws ErrnoException {
        int fd = sys.memfdCreate(name);
        fds.add(fd);
        return fd;
    }

    /** The hook's env, else jrunc's own environment. */
    private static List<String> environment(Hook hook, RuntimeEnvironment env) {
        if (hook.env() != null) {
            return hook.env();
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : env.environment().entrySet()) {
            out.add(e.getKey() + "=" + e.getValue());
        }
        return out;
    }

    /** The wait status, or null when the hook ran past {@code timeout} seconds (it is then killed and reaped). */
    private static Integer waitFor(Syscalls sys, int pid, Integer timeout) throws ErrnoException, JruncException {
        if (timeout == null) {
            return sys.waitpid(pid, false);
        }
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        long sleepMicros = 200;
        while (true) {
            int status = sys.waitpid(pid, true);
            if (status != -1) {
                return status;
            }
            if (System.nanoTime() - deadline >= 0) {
                sys.kill(pid, SIGKILL);
                sys.waitpid(pid, false);
                return null;
            }
            try {
                Thread.sleep(sleepMicros / 1000, (int) (sleepMicros % 1000) * 1000);
            } catch (InterruptedException e) {
                sys.kill(pid, SIGKILL);
                sys.waitpid(pid, false);
                Thread.currentThread().interrupt();
                throw new JruncException("interrupted while running a hook");
            }
            sleepMicros = Math.min(10_000, sleepMicros * 2);
        }
    }

    /** Go's exec.ExitError text: "exit status N", "signal: killed". */
    static String describe(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return "exit status " + ((status >> 8) & 0xff);
        }
        String name = switch (signal) {
            case 1 -> "hangup";
            case 2 -> "interrupt";
            case 3 -> "quit";
            case 4 -> "illegal instruction";
            case 5 -> "trace/breakpoint trap";
            case 6 -> "aborted";
            case 7 -> "bus error";
            case 8 -> "floating point exception";
            case 9 -> "killed";
            case 10 -> "user defined signal 1";
            case 11 -> "segmentation fault";
            case 12 -> "user defined signal 2";
            case 13 -> "broken pipe";
            case 14 -> "alarm clock";
            case 15 -> "terminated";
            default -> "signal " + signal;
        };
        return "signal: " + name + ((status & 0x80) != 0 ? " (core dumped)" : "");
    }
}
