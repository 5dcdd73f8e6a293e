package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.spec.model.Mount;
import dev.jrunc.spec.model.Process;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.IoErrors;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * sd_notify through the container, as runc's notify_socket.go: when jrunc's own environment has
 * {@code NOTIFY_SOCKET}, the container gets the directory {@code <state dir>/notify} bound
 * read-only onto {@code /run/notify} and {@code NOTIFY_SOCKET=/run/notify/notify.sock}; jrunc
 * binds a datagram socket there ({@code run} before the container starts, else {@code start})
 * and relays the container's {@code READY=...} line to the host's socket, followed by
 * {@code MAINPID=N}.
 */
final class NotifySocket {
    static final String ENV = "NOTIFY_SOCKET";
    static final String CONTAINER_DIR = "/run/notify";
    static final String SOCKET_NAME = "notify.sock";
    private static final int POLL_MS = 100;

    private NotifySocket() {}

    /** The host socket from the environment, or null. */
    static String host(Map<String, String> env) {
        String host = env.get(ENV);
        return host == null || host.isEmpty() ? null : host;
    }

    static Path dir(Path stateDir) {
        return stateDir.resolve("notify");
    }

    /** runc's setupSpec: the bind mount (appended to the mounts) and the variable (appended to the env). */
    static Spec setupSpec(Spec spec, Path stateDir) {
        List<Mount> mounts = new ArrayList<>(spec.mounts() == null ? List.of() : spec.mounts());
        mounts.add(new Mount(CONTAINER_DIR, null, dir(stateDir).toString(), List.of("bind", "nosuid", "noexec", "nodev", "ro"),
                null, null, null));
        Process p = spec.process();
        List<String> env = new ArrayList<>(p.env() == null ? List.of() : p.env());
        env.add(ENV + "=" + CONTAINER_DIR + "/" + SOCKET_NAME);
        Process process = new Process(p.terminal(), p.consoleSize(), p.user(), p.args(), p.commandLine(), env, p.cwd(),
                p.capabilities(), p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(), p.scheduler(),
                p.selinuxLabel(), p.ioPriority(), p.execCPUAffinity(), p.extra());
        return new Spec(spec.ociVersion(), process, spec.root(), spec.hostname(), spec.domainname(), mounts, spec.hooks(),
                spec.annotations(), spec.linux(), spec.extra());
    }

    /** runc's setupSocketDirectory: {@code <state dir>/notify}, mode 0755. */
    static void makeDirectory(Path stateDir) throws JruncException {
        Path dir = dir(stateDir);
        try {
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new JruncException("mkdir " + dir + ": " + IoErrors.reason(e), e);
        }
    }

    /** runc's bindSocket: a datagram socket at {@code <state dir>/notify/notify.sock}, mode 0777. */
    static int bind(Syscalls sys, Path stateDir) throws JruncException {
        Path path = dir(stateDir).resolve(SOCKET_NAME);
        int fd;
        try {
            fd = sys.bindUnixgram(path.toString());
        } catch (ErrnoException e) {
            throw new JruncException("listen unixgram " + path + ": " + e.getMessage(), e);
        }
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            closeQuietly(sys, fd);
            throw new JruncException("chmod " + path + ": " + IoErrors.reason(e), e);
        }
        return fd;
    }

    /**
     * runc's notifySocket.run: waits until a datagram starting with {@code READY=} arrives, then
     * sends its first line and {@code MAINPID=mainPid} (one datagram each, newline-terminated) to
     * the host socket. Returns without sending when {@code /proc/<watchPid>} disappears first
     * (checked every 100 ms) with nothing queued, or the thread is interrupted.
     */
    static void relay(Syscalls sys, int socket, String host, int watchPid, int mainPid) throws JruncException {
        int client;
        try {
            client = sys.connectUnix(host, true);
        } catch (ErrnoException e) {
            throw new JruncException("dial unixgram " + host + ": " + e.getMessage(), e);
        }
        try {
            while (true) {
                int ready = sys.poll(socket, Syscalls.POLLIN, POLL_MS);
                if ((ready & Syscalls.POLLIN) == 0) {
                    // a datagram already queued is relayed even when the container is gone
                    if (Thread.currentThread().isInterrupted() || !Files.exists(Path.of("/proc/" + watchPid))) {
                        return;
                    }
                    continue;
                }
                byte[] got = sys.read(socket, 4096);
                String text = new String(got, StandardCharsets.UTF_8);
                if (!text.startsWith("READY=")) {
                    continue;
                }
                String line = Arrays.stream(text.split("\n", -1)).findFirst().orElse(text);
                sys.write(client, (line + "\n").getBytes(StandardCharsets.UTF_8));
                sys.write(client, ("MAINPID=" + mainPid + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
        } catch (ErrnoException e) {
            throw new JruncException("notify socket: " + e.getMessage(), e);
        } finally {
            closeQuietly(sys, client);
        }
    }

    static void closeQuietly(Syscalls sys, int fd) {
        try {
            sys.close(fd);
        } catch (ErrnoException e) {
            // nothing to undo
        }
    }
}
