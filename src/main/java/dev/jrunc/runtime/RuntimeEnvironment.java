package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.state.ProcStat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the orchestration ({@link ContainerCreator}, {@link Lifecycle}, {@link Executor},
 * {@link HookRunner}, {@link InitLauncher}) reads of the host beyond its system calls: made once
 * by the caller (the CLI, or a program embedding jrunc) and passed down, so that nothing below
 * reads a system property or the process environment, and tests can give a /proc of their own.
 *
 * @param initBinary  jrunc-init, or null: beside the running executable ({@code /proc/self/exe})
 * @param environment jrunc's own environment (LISTEN_FDS, LISTEN_PID, NOTIFY_SOCKET; a hook
 *                    without {@code env} gets it, as Go's exec gives its own; PATH for newuidmap)
 * @param procRoot    where /proc is: {@code /proc/self/fd/N} of memfds, {@code PID/stat},
 *                    {@code PID/ns}, {@code PID/uid_map}, {@code self/mountinfo}, {@code self/cgroup}
 * @param rmdir       how a cgroup directory is removed ({@link Files#delete} on a cgroup file system,
 *                    where the kernel's files go with the directory)
 */
public record RuntimeEnvironment(Path initBinary, Map<String, String> environment, Path procRoot,
                                 CgroupHierarchies.Rmdir rmdir) {

    public RuntimeEnvironment {
        // the host's is read on first use (HostEnvironment); any other is copied now
        environment = environment instanceof HostEnvironment ? environment : Map.copyOf(environment);
        if (procRoot == null || rmdir == null) {
            throw new IllegalArgumentException("procRoot and rmdir are required");
        }
    }

    /**
     * This process's: the init beside the running executable ({@link #withInitBinary} names
     * another; the CLI passes the JVM launcher's {@code -Djrunc.init} through the builder),
     * {@link System#getenv()} (read when first asked), {@code /proc}.
     */
    public static RuntimeEnvironment host() {
        return new RuntimeEnvironment(null, new HostEnvironment(), Path.of("/proc"), Files::delete);
    }

    /** The same with another init binary (a library's choice). */
    public RuntimeEnvironment withInitBinary(Path init) {
        return new RuntimeEnvironment(init, environment, procRoot, rmdir);
    }

    /** The jrunc-init to run, checked to be executable. */
    Path locateInit() throws JruncException {
        return InitBinary.locate(initBinary, procRoot);
    }

    /** {@code /proc/self/fd/N}: a new open file description of one of our fds. */
    Path fdPath(int fd) {
        return procRoot.resolve("self/fd/" + fd);
    }

    /** {@code /proc/PID/...}. */
    Path proc(int pid, String file) {
        return procRoot.resolve(pid + "/" + file);
    }

    /** What /proc/PID/stat says, empty when the process is gone. */
    public Optional<ProcStat> procStat(int pid) {
        return ProcStat.read(procRoot, pid);
    }

    /** The cgroup hierarchies mounted here and this process's cgroups. */
    public CgroupHierarchies cgroups() throws JruncException {
        return CgroupHierarchies.load(procRoot, rmdir);
    }
}
