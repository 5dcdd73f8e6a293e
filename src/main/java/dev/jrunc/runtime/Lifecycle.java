package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.cgroups.CgroupManager;
import dev.jrunc.process.Signals;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.state.HookState;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.StatusResolver;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** {@code start}, {@code kill}, {@code delete} of an existing container, with runc's rules and messages. */
public final class Lifecycle {
    private static final int O_RDONLY_NONBLOCK = 04000;
    private static final long START_TIMEOUT_MS = 60_000;

    private final RuntimeOptions options;
    private final StateStore store;
    private final StatusResolver statuses;
    private final Syscalls sys;

    public Lifecycle(RuntimeOptions options, StateStore store, StatusResolver statuses, Syscalls sys) {
        this.options = options;
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
        try (StateStore.ContainerLock lock = store.lock(id)) {
            ContainerRecord record = store.load(id);
            Path dir = store.dir(id);
            Status status = statuses.status(record, dir);
            switch (status) {
                case CREATED -> { }
                case STOPPED -> throw new JruncException("cannot start a container that has stopped");
                case RUNNING, PAUSED -> throw new JruncException("cannot start an already running container");
                default -> throw new JruncException("cannot start a container in the " + status.text() + " state");
            }
            Path fifo = dir.resolve(StateStore.EXEC_FIFO);
            releaseFifo(record, fifo);
            try {
                Files.deleteIfExists(fifo);
            } catch (IOException e) {
                throw new JruncException("cannot remove " + fifo + ": " + e.getMessage(), e);
            }
            Hooks hooks = store.loadHooks(id);
            if (hooks != null && hooks.poststart() != null) {
                try {
                    HookRunner.run(sys, hooks.poststart(), hookState(record, Status.RUNNING, record.pid()));
                } catch (JruncException e) {
                    // runtime-spec 1.3 and runc: an error, and the container is stopped
                    killAndWait(record);
                    throw e;
                }
            }
            return record;
        }
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
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            long sleep = 0;
            boolean opened = false;
            byte[] got = new byte[0];
            while (true) {
                try {
                    byte[] data = sys.read(fd, 4096);
                    if (data.length > 0) {
                        got = concat(got, data);
                        if (got[0] == '0') {
                            return;
                        }
                        continue; // an error: read it to the end (EOF when the init exits)
                    }
                    if (got.length > 0) {
                        String text = new String(got, java.nio.charset.StandardCharsets.UTF_8);
                        throw new JruncException(text.startsWith("error ") ? text.substring(6) : "exec fifo: unexpected \"" + text + "\"");
                    }
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EAGAIN) {
                        throw new JruncException("cannot read exec fifo: " + e.getMessage(), e);
                    }
                    opened = true; // a writer holds the fifo: the init is past its open
                }
                if (!statuses.initAlive(record)) {
                    if (got.length > 0) {
                        continue; // the rest of its error, then EOF
                    }
                    throw new JruncException("cannot start a container that has stopped");
                }
                if (!opened && System.currentTimeMillis() > deadline) {
                    throw new JruncException("container init did not open the exec fifo in " + START_TIMEOUT_MS / 1000 + "s");
                }
                sleep = Math.min(10, sleep + 1);
                Thread.sleep(sleep);
            }
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
        Set<Integer> pids = new LinkedHashSet<>();
        if (status != Status.STOPPED) {
            pids.add(record.pid());
        }
        if (all) {
            pids.addAll(cgroupPids(record));
        }
        for (int pid : pids) {
            try {
                sys.kill(pid, signal);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ESRCH) {
                    throw new JruncException("cannot signal process " + pid + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static Set<Integer> cgroupPids(ContainerRecord record) {
        Set<Integer> pids = new LinkedHashSet<>();
        for (String dir : record.cgroupPaths().values()) {
            try {
                for (String line : Files.readAllLines(Path.of(dir, "cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Integer.parseInt(line.trim()));
                    }
                }
                return pids;
            } catch (IOException | NumberFormatException e) {
                // try the next hierarchy
            }
        }
        return pids;
    }

    /**
     * Removes a container: refused while it runs unless {@code force} (then SIGKILL and wait);
     * a created one is killed, as runc does. Removes the cgroup, runs the poststop hooks
     * (failures logged), removes the state. With {@code force} a missing container is not an error.
     */
    public void delete(String id, boolean force) throws JruncException {
        if (force && !store.exists(id) && !java.nio.file.Files.exists(store.dir(id))) {
            return;
        }
        try (StateStore.ContainerLock lock = store.lock(id)) {
            ContainerRecord record = store.find(id).orElse(null);
            if (record == null) {
                if (force) {
                    store.remove(id);
                    return;
                }
                throw new JruncException("container \"" + id + "\" does not exist");
            }
            Status status = statuses.status(record, store.dir(id));
            if ((status == Status.RUNNING || status == Status.PAUSED) && !force) {
                throw new JruncException("cannot delete container " + id + " that is not stopped: " + status.text());
            }
            if (status != Status.STOPPED) {
                killAndWait(record);
            }
            for (int pid : cgroupPids(record)) {
                try {
                    sys.kill(pid, Signals.SIGKILL);
                } catch (ErrnoException e) {
                    // gone already
                }
            }
            Map<String, Path> dirs = new LinkedHashMap<>();
            record.cgroupPaths().forEach((k, v) -> dirs.put(k, Path.of(v)));
            JruncException cgroupFailure = null;
            try {
                CgroupManager.destroy(dirs);
            } catch (JruncException e) {
                cgroupFailure = e;
            }
            Hooks hooks = store.loadHooks(id);
            if (hooks != null && hooks.poststop() != null) {
                try {
                    HookRunner.run(sys, hooks.poststop(), hookState(record, Status.STOPPED, 0));
                } catch (JruncException e) {
                    options.logger().warn(e.getMessage());
                }
            }
            store.remove(id);
            if (cgroupFailure != null) {
                throw cgroupFailure;
            }
        }
    }

    private void killAndWait(ContainerRecord record) throws JruncException {
        try {
            sys.kill(record.pid(), Signals.SIGKILL);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                throw new JruncException("cannot kill container init: " + e.getMessage(), e);
            }
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (statuses.initAlive(record)) {
            try {
                sys.waitpid(record.pid(), true);
            } catch (ErrnoException e) {
                // not our child: its own parent reaps it
            }
            if (System.currentTimeMillis() > deadline) {
                throw new JruncException("container init " + record.pid() + " did not die after SIGKILL");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JruncException("interrupted while waiting for the container to die");
            }
        }
    }
}
