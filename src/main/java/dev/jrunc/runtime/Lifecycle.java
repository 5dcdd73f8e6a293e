package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.cgroups.CgroupManager;
import dev.jrunc.cgroups.CgroupManagers;
import dev.jrunc.cgroups.Freezer;
import dev.jrunc.process.Signals;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.state.HookState;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.StatusResolver;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.IoErrors;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** {@code start}, {@code kill}, {@code pause}, {@code resume}, {@code delete} of an existing container, with runc's rules and messages. */
public final class Lifecycle {
    private static final int O_RDONLY_NONBLOCK = 04000;
    private static final long START_TIMEOUT_MS = 60_000;

    private final RuntimeOptions options;
    private final RuntimeEnvironment env;
    private final StateStore store;
    private final StatusResolver statuses;
    private final Syscalls sys;

    public Lifecycle(RuntimeOptions options, RuntimeEnvironment env, StateStore store, StatusResolver statuses, Syscalls sys) {
        this.options = options;
        this.env = env;
        this.store = store;
        this.statuses = statuses;
        this.sys = sys;
    }

    /**
     * Opens the exec fifo for reading, which lets the waiting init run its startContainer hooks
     * and exec the process (a startContainer hook's failure comes back through the fifo and
     * fails start; the init has then exited); then removes the fifo and runs the poststart
     * hooks: a failure kills the container and fails start, as runc does and runtime-spec 1.3
     * says. A stopped container's poststop hooks run at delete.
     */
    public ContainerRecord start(String id) throws JruncException {
        return start(id, null);
    }

    /**
     * Same; with {@code notifyHost} (jrunc's NOTIFY_SOCKET, for the {@code start} command) as
     * runc: binds {@code <state dir>/notify/notify.sock} before the process starts, and after
     * the poststart hooks waits until the container sends {@code READY=...} (relayed with
     * {@code MAINPID}) or its init is gone.
     */
    public ContainerRecord start(String id, String notifyHost) throws JruncException {
        int notify = -1;
        try {
            ContainerRecord record;
            try (StateStore.ContainerLock lock = store.lock(id)) {
                record = store.load(id);
                if (notifyHost != null && statuses.status(record, store.dir(id)) == Status.CREATED) {
                    notify = NotifySocket.bind(sys, store.dir(id));
                }
                startLocked(id);
            }
            if (notify >= 0) {
                NotifySocket.relay(sys, notify, notifyHost, record.pid(), record.pid());
            }
            return record;
        } finally {
            if (notify >= 0) {
                NotifySocket.closeQuietly(sys, notify);
            }
        }
    }

    private ContainerRecord startLocked(String id) throws JruncException {
        ContainerRecord record = store.load(id);
        Path dir = store.dir(id);
        Status status = statuses.status(record, dir);
        switch (status) {
            case CREATED -> { }
            case STOPPED -> throw new JruncException("cannot start a container that has stopped");
            case RUNNING -> throw new JruncException("cannot start an already running container");
            default -> throw new JruncException("cannot start a container in the " + status.text() + " state");
        }
        Path fifo = dir.resolve(StateStore.EXEC_FIFO);
        Hooks hooks = store.loadHooks(id);
        options.logger().debug("start " + id + ": opening the exec fifo for init pid " + record.pid());
        DebugSteps.hooks(options.logger(), "startContainer", hooks == null ? null : hooks.startContainer(),
                "by the init, in the container, before the process");
        releaseFifo(record, fifo);
        options.logger().debug("start " + id + ": the process of pid " + record.pid() + " runs");
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new JruncException("cannot remove " + fifo + ": " + IoErrors.reason(e), e);
        }
        if (hooks != null && hooks.poststart() != null) {
            DebugSteps.hooks(options.logger(), "poststart", hooks.poststart(), "in the runtime's namespaces");
            try {
                HookRunner.run(sys, env, hooks.poststart(), hookState(record, Status.RUNNING, record.pid()));
            } catch (JruncException e) {
                // runtime-spec 1.3 and runc: an error, and the container is stopped
                killAndWait(record);
                throw e;
            }
        }
        return record;
    }

    /** The state hooks read (runc leaves the pid out once the container has stopped). */
    private static byte[] hookState(ContainerRecord record, Status status, int pid) {
        return HookState.json(record.ociVersion(), record.id(), status, pid, record.bundle(), record.annotations());
    }

    /**
     * The init opens the fifo for writing once a reader exists and writes one byte "0", after
     * its startContainer hooks if it has some; a failure from then on comes as "error TEXT"
     * instead. The open is non-blocking and the read polled, so an init that died cannot leave
     * start hanging; the deadline applies until the init has opened the fifo (hooks may take
     * their time after that, bounded by their own timeouts).
     */
    private void releaseFifo(ContainerRecord record, Path fifo) throws JruncException {
        int fd;
        try {
            fd = sys.open(fifo.toString(), O_RDONLY_NONBLOCK);
        } catch (ErrnoException e) {
            throw new JruncException("cannot open exec fifo " + fifo + ": " + e.getMessage(), e);
        }
        try {
            awaitStartByte(() -> sys.read(fd, 4096), () -> statuses.initAlive(record), START_TIMEOUT_MS,
                    ms -> awaitFifo(fd, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while starting the container");
        } finally {
            try {
                sys.close(fd);
            } catch (ErrnoException e) {
                // nothing to undo
            }
        }
    }

    /**
     * Waits at most {@code ms} for the init's byte: poll(2) returns as soon as the init writes
     * (a fixed sleep made every start wait a millisecond or more after the byte was there). Once
     * the writer has closed the fifo, poll returns at once (POLLHUP): then a plain sleep, so that
     * the loop does not spin until the init's death is seen.
     */
    private void awaitFifo(int fd, long ms) throws InterruptedException {
        int revents;
        try {
            revents = sys.poll(fd, Syscalls.POLLIN, (int) ms);
        } catch (ErrnoException e) {
            revents = Syscalls.POLLERR;
        }
        if ((revents & Syscalls.POLLIN) == 0 && revents != 0) {
            Thread.sleep(ms);
        }
    }

    /** Waits up to the given number of milliseconds before the next read of the exec fifo. */
    @FunctionalInterface
    interface Pause {
        void pause(long ms) throws InterruptedException;
    }

    /** One non-blocking read of the exec fifo: empty at EOF (no writer), EAGAIN while a writer has nothing. */
    @FunctionalInterface
    interface FifoRead {
        byte[] read() throws ErrnoException;
    }

    /**
     * Polls the exec fifo until the init's "0" arrives; "error TEXT" (a startContainer hook or the
     * exec failed) is read to its end and fails the start with TEXT. A dead init fails the start
     * only when nothing of it is in the fifo: a short-lived process may have been exec'd and
     * exited between two polls, and that start succeeded. The deadline applies until the init has
     * opened the fifo (its hooks are bounded by their own timeouts).
     */
    static void awaitStartByte(FifoRead fifo, java.util.function.BooleanSupplier initAlive, long timeoutMs)
            throws JruncException, InterruptedException {
        awaitStartByte(fifo, initAlive, timeoutMs, Thread::sleep);
    }

    /** The same, waiting between two reads with {@code pause} (at most 10 ms each). */
    static void awaitStartByte(FifoRead fifo, java.util.function.BooleanSupplier initAlive, long timeoutMs, Pause pause)
            throws JruncException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long sleep = 0;
        boolean opened = false;
        byte[] got = new byte[0];
        while (true) {
            boolean alive = initAlive.getAsBoolean();
            byte[] data;
            try {
                data = fifo.read();
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EAGAIN) {
                    throw new JruncException("cannot read exec fifo: " + e.getMessage(), e);
                }
                data = null;
                opened = true; // a writer holds the fifo: the init is past its open
            }
            if (data != null && data.length > 0) {
                got = concat(got, data);
                if (got[0] == '0') {
                    return;
                }
                continue; // an error: read it to the end (EOF when the init exits)
            }
            if (data != null && got.length > 0) {
                String text = new String(got, java.nio.charset.StandardCharsets.UTF_8);
                throw new JruncException(text.startsWith("error ") ? text.substring(6) : "exec fifo: unexpected \"" + text + "\"");
            }
            if (!alive && got.length == 0) {
                throw new JruncException("cannot start a container that has stopped");
            }
            if (!opened && System.currentTimeMillis() > deadline) {
                throw new JruncException("container init did not open the exec fifo in " + timeoutMs / 1000 + "s");
            }
            sleep = Math.min(10, sleep + 1);
            pause.pause(sleep);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Sends a signal to the init, or with {@code all} to every process of the container's cgroup. */
    public void kill(String id, int signal, boolean all) throws JruncException {
        ContainerRecord record = store.load(id);
        Status status = statuses.status(record, store.dir(id));
        if (status == Status.STOPPED && !all) {
            throw new JruncException("container not running");
        }
        CgroupManager cgroup = cgroupOf(record);
        Freezer freezer = cgroup.freezer();
        if (all) {
            if (holdsSelf(cgroup, hostCgroups())) {
                throw new JruncException("cannot signal every process of container " + id
                        + ": its cgroup holds this runtime (pid " + sys.getpid() + ")");
            }
            // runc: the cgroup is frozen while its pids are listed and signalled (no fork escapes),
            // then thawed, so that the signals are delivered (a paused container is thawed too)
            boolean froze = false;
            if (freezer != null && Files.isDirectory(freezer.dir())) {
                try {
                    freezer.freeze();
                    froze = true;
                } catch (JruncException e) {
                    options.logger().warn(e.getMessage()); // runc: a warning, the signals still go
                }
            }
            Set<Integer> pids = new LinkedHashSet<>();
            if (status != Status.STOPPED) {
                pids.add(record.pid());
            }
            pids.addAll(cgroup.pids());
            try {
                for (int pid : pids) {
                    signal(pid, signal);
                }
            } finally {
                if (froze || status == Status.PAUSED) {
                    freezer.thaw();
                }
            }
            return;
        }
        signal(record.pid(), signal);
        if (status == Status.PAUSED && signal == Signals.SIGKILL && freezer != null) {
            // runc: a frozen process dies only once thawed; only SIGKILL thaws the container
            freezer.thaw();
        }
    }

    private void signal(int pid, int signal) throws JruncException {
        try {
            sys.kill(pid, signal);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                // runc's wording: "unable to signal init: invalid argument" (a signal number the kernel has not)
                throw new JruncException("unable to signal init: " + Errno.describe(e.errno()), e);
            }
        }
    }

    /** {@code pause}: freezes a created or running container's cgroup (runc 1.1 pauses both). */
    public void pause(String id) throws JruncException {
        try (StateStore.ContainerLock lock = store.lock(id)) {
            ContainerRecord record = store.load(id);
            Status status = statuses.status(record, store.dir(id));
            if (status != Status.RUNNING && status != Status.CREATED) {
                throw new JruncException("container not running");
            }
            freezerOf(record).freeze();
        }
    }

    /** {@code resume}: thaws a paused container's cgroup. */
    public void resume(String id) throws JruncException {
        try (StateStore.ContainerLock lock = store.lock(id)) {
            ContainerRecord record = store.load(id);
            if (statuses.status(record, store.dir(id)) != Status.PAUSED) {
                throw new JruncException("container not paused");
            }
            freezerOf(record).thaw();
        }
    }

    /**
     * {@code ps}: the pids of every process in the container's cgroup and its sub-cgroups (runc
     * reads the devices hierarchy on v1, the unified one on v2); none for a stopped container
     * whose cgroup is gone.
     */
    public java.util.List<Integer> processes(String id) throws JruncException {
        ContainerRecord record = store.load(id);
        Status status = statuses.status(record, store.dir(id));
        Path dir = cgroupOf(record).pidsDir();
        if (dir == null || !Files.isDirectory(dir)) {
            if (status == Status.STOPPED) {
                return java.util.List.of();
            }
            throw new JruncException("unable to get all container pids: the container's cgroup " + dir + " is missing");
        }
        // one reader of the cgroup tree (a sub-cgroup removed meanwhile is skipped, not an error)
        return new java.util.ArrayList<>(CgroupHierarchies.processes(dir));
    }

    /** The record of a container {@code events} may watch: not a stopped one (runc's words). */
    public ContainerRecord watchable(String id) throws JruncException {
        ContainerRecord record = store.load(id);
        if (statuses.status(record, store.dir(id)) == Status.STOPPED) {
            throw new JruncException("container with id " + id + " is not running");
        }
        return record;
    }

    private Freezer freezerOf(ContainerRecord record) throws JruncException {
        Freezer freezer = cgroupOf(record).freezer();
        if (freezer == null) {
            throw new JruncException("cannot pause or resume: the container's cgroup has no freezer (v1) nor cgroup.freeze (v2)");
        }
        return freezer;
    }

    /** The container's cgroup, managed by the driver its create chose. */
    private CgroupManager cgroupOf(ContainerRecord record) {
        return CgroupManagers.forRecord(sys, record, env.rmdir());
    }

    /**
     * Removes a container: refused while it runs unless {@code force} (then SIGKILL and wait);
     * a created one is killed, as runc does. Removes the cgroup (a failure is logged, as runc), runs the poststop hooks
     * (failures logged), removes the state. With {@code force} a missing container is not an error.
     */
    public void delete(String id, boolean force) throws JruncException {
        delete(id, force, null);
    }

    /**
     * {@link #delete(String, boolean)} with the host's cgroup mounts and jrunc's own cgroups
     * already read in this process ({@code run}'s create read them), or null to read them.
     */
    public void delete(String id, boolean force, CgroupHierarchies knownHosts) throws JruncException {
        if (force && !java.nio.file.Files.exists(store.dir(id))) { // no directory: no state file either
            return;
        }
        try (StateStore.ContainerLock lock = store.lock(id)) {
            ContainerRecord record;
            try {
                record = store.find(id).orElse(null);
            } catch (StateStore.CorruptState e) {
                if (!force) {
                    throw e;
                }
                options.logger().warn(e.getMessage());
                record = null;
            }
            if (record == null) {
                if (force) {
                    // a create killed before its state was written, or a corrupt state: what its cgroups hold
                    new Remnants(options, env, sys).destroy(id, store.dir(id));
                    store.remove(id);
                    return;
                }
                throw new JruncException("container \"" + id + "\" does not exist");
            }
            Status status = statuses.status(record, store.dir(id));
            if ((status == Status.RUNNING || status == Status.PAUSED) && !force) {
                throw new JruncException("cannot delete container " + id + " that is not stopped: " + status.text());
            }
            CgroupManager cgroup = cgroupOf(record);
            Freezer freezer = cgroup.freezer();
            if (status != Status.STOPPED) {
                killAndWait(record, status == Status.PAUSED ? freezer : null);
            }
            CgroupHierarchies host = knownHosts != null ? knownHosts : hostCgroups();
            boolean holdsSelf = holdsSelf(cgroup, host);
            for (int pid : holdsSelf ? Set.<Integer>of() : cgroup.pids()) {
                try {
                    sys.kill(pid, Signals.SIGKILL);
                } catch (ErrnoException e) {
                    // gone already
                }
            }
            if (freezer != null && freezer.frozen()) {
                // processes left in a frozen cgroup (init gone) die only once thawed
                freezer.thaw();
            }
            JruncException cgroupFailure = null;
            try {
                if (holdsSelf) {
                    throw new JruncException("the cgroup of container " + id + " holds this runtime (pid " + sys.getpid()
                            + "): its other processes are not killed and it is not removed");
                }
                cgroup.destroy();
            } catch (JruncException e) {
                cgroupFailure = e;
            }
            new Remnants(options, env, sys).removeUnnamed(id, store.dir(id), record.cgroupPaths().keySet(), host);
            Hooks hooks = store.loadHooks(id);
            if (hooks != null && hooks.poststop() != null) {
                DebugSteps.hooks(options.logger(), "poststop", hooks.poststop(), "in the runtime's namespaces");
                try {
                    HookRunner.run(sys, env, hooks.poststop(), hookState(record, Status.STOPPED, 0));
                } catch (JruncException e) {
                    options.logger().warn(e.getMessage());
                }
            }
            store.remove(id);
            if (cgroupFailure != null) {
                // runc's delete logs a cgroup it cannot remove (one with processes of others) and succeeds
                options.logger().error(cgroupFailure.getMessage());
            }
        }
    }

    /**
     * Whether the container's cgroup (a directory in any hierarchy, or below it) holds this very
     * process: a state whose cgroupsPath names jrunc's own cgroup or an ancestor of it (create
     * refuses them now; a state made before, or by hand). Such a cgroup's processes are the
     * runtime and its caller: neither signalled nor frozen, and the cgroup is not removed.
     */
    private boolean holdsSelf(CgroupManager cgroup, CgroupHierarchies host) throws JruncException {
        // from /proc/self/cgroup, not by reading every cgroup.procs of the container's trees: a
        // container's cgroup holds this process when it is this process's own cgroup or above it
        if (host == null) {
            return false; // no mountinfo to tell: as a cgroup tree that cannot be read
        }
        java.util.List<Path> own = dev.jrunc.cgroups.CgroupPaths.ownDirs(host.mounts(), host.own());
        for (Path dir : cgroup.dirs().values()) {
            Path normalized = dir.normalize();
            for (Path mine : own) {
                if (mine.startsWith(normalized)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The host's cgroup mounts and this process's cgroups, read once per delete; null when they cannot be read. */
    private CgroupHierarchies hostCgroups() {
        try {
            return env.cgroups();
        } catch (JruncException e) {
            return null;
        }
    }

    private void killAndWait(ContainerRecord record) throws JruncException {
        killAndWait(record, null);
    }

    /** SIGKILL to the init, then (a paused container: as runc) thaws {@code frozen} so that it dies; waits for it. */
    private void killAndWait(ContainerRecord record, Freezer frozen) throws JruncException {
        try {
            sys.kill(record.pid(), Signals.SIGKILL);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                throw new JruncException("cannot kill container init: " + e.getMessage(), e);
            }
        }
        if (frozen != null) {
            frozen.thaw();
        }
        boolean gone;
        try {
            gone = DeathWait.await(sys, record.pid(), () -> statuses.initAlive(record), 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while waiting for the container to die");
        }
        if (!gone) {
            throw new JruncException("container init " + record.pid() + " did not die after SIGKILL");
        }
    }
}
