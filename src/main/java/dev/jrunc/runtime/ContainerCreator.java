package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.Version;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.cgroups.CgroupManager;
import dev.jrunc.plan.HostFacts;
import dev.jrunc.plan.PlanCompiler;
import dev.jrunc.plan.PlanException;
import dev.jrunc.plan.PlanWriter;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.spec.model.IdMapping;
import dev.jrunc.spec.model.Namespace;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.spec.validate.ConfigValidator;
import dev.jrunc.spec.validate.ConfigValidator.ValidConfig;
import dev.jrunc.state.GoTime;
import dev.jrunc.state.ProcStat;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.HookState;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.process.Signals;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code create}: everything between a bundle and a container waiting on its exec fifo.
 *
 * <ol>
 *   <li>validate config.json (no side effect before this passes), compile the init plan;
 *   <li>make the state directory and the exec fifo; write the plan into a memfd;
 *   <li>spawn jrunc-init with exactly the fds it needs: stdio, the preserved fds 3..3+N-1, then
 *       the plan, the sync socket and an O_PATH fd of the fifo;
 *   <li>init reports the container's pid; jrunc makes its cgroup, writes its uid/gid maps, tells
 *       it to continue;
 *   <li>init does the mounts; with prestart or createRuntime hooks it stops ("hooks") while
 *       jrunc runs them, as runc does; then createContainer hooks, pivot_root, the rest;
 *   <li>init reports ready (it now blocks on the fifo); jrunc records
 *       the container as created and writes the pid file.
 * </ol>
 * Any failure kills the container, removes its cgroup and its state directory.
 */
public final class ContainerCreator {
    private static final int O_PATH = 010000000;

    private final RuntimeOptions options;
    private final StateStore store;
    private final Syscalls sys;

    public ContainerCreator(RuntimeOptions options, StateStore store, Syscalls sys) {
        this.options = options;
        this.store = store;
        this.sys = sys;
    }

    /** The created container, with its record saved. */
    public ContainerRecord create(String id, CreateOptions opts) throws JruncException {
        store.dir(id); // the id is checked before anything else
        if (options.systemdCgroup()) {
            throw new JruncException("systemd cgroup driver requested (--systemd-cgroup), but jrunc supports only cgroupfs");
        }
        if (opts.preserveFds() < 0) {
            throw new JruncException("--preserve-fds must not be negative");
        }
        ValidConfig config = ConfigValidator.load(opts.bundle());
        Spec spec = config.spec();
        Path initBinary = InitBinary.locate();
        if (store.exists(id) || Files.exists(store.dir(id))) {
            throw new JruncException("container with given ID already exists: " + id);
        }
        int n = opts.preserveFds();
        int planTarget = 3 + n;
        int syncTarget = 4 + n;
        int fifoTarget = 5 + n;
        CgroupManager cgroups = CgroupManager.host();
        byte[] plan;
        try {
            plan = PlanWriter.encode(PlanCompiler.compile(spec, new HostFacts(config.bundle(), config.rootfs(), opts.noPivot(),
                    opts.consoleSocket() != null, fifoTarget, n, true, HostFacts.fromHierarchies(cgroups.mounts())), id));
        } catch (PlanException e) {
            throw new JruncException(e.getMessage(), e);
        }

        Map<String, Path> cgroupDirs = cgroups.paths(spec.linux() == null ? null : spec.linux().cgroupsPath(), id);
        Path dir = store.create(id);
        Cleanup cleanup = new Cleanup(id);
        List<Integer> fds = new ArrayList<>();
        try {
            Path fifo = dir.resolve(StateStore.EXEC_FIFO);
            sys.mkfifo(fifo.toString(), 0622);
            int fifoFd = track(fds, sys.open(fifo.toString(), O_PATH));
            int planFd = track(fds, sys.memfdCreate("jrunc-plan"));
            try (OutputStream out = Files.newOutputStream(Path.of("/proc/self/fd/" + planFd))) {
                out.write(plan);
            }
            int[] pair = sys.seqpacketPair();
            track(fds, pair[0]);
            track(fds, pair[1]);
            int[] fdMap = new int[fifoTarget + 1];
            for (int i = 0; i < 3 + n; i++) {
                fdMap[i] = i;
            }
            fdMap[planTarget] = planFd;
            fdMap[syncTarget] = pair[1];
            fdMap[fifoTarget] = fifoFd;
            String created = GoTime.rfc3339Nano(Instant.now());
            int initPid = sys.spawn(initBinary.toString(), List.of("jrunc-init"),
                    List.of("_JRUNC_PLAN_FD=" + planTarget, "_JRUNC_SYNC_FD=" + syncTarget), fdMap);
            cleanup.initPid = initPid;
            // only the init needs these now; closing ours lets EOF mean "the init is gone"
            for (int fd : List.of(pair[1], planFd, fifoFd)) {
                sys.close(fd);
                fds.remove(Integer.valueOf(fd));
            }
            try (SyncChannel sync = new SyncChannel(sys, pair[0])) {
                try {
                    fds.remove(Integer.valueOf(pair[0]));
                    int pid = sync.expectPid();
                    cleanup.containerPid = pid;
                    reap(initPid);
                    cleanup.initPid = -1;
                    cgroups.create(cgroupDirs);
                    cleanup.cgroups = cgroupDirs;
                    cgroups.join(cgroupDirs, pid);
                    writeIdMaps(spec, pid);
                    long startTime = ProcStat.read(pid).map(ProcStat::startTime)
                            .orElseThrow(() -> new JruncException("container init exited during create"));
                    ContainerRecord record = new ContainerRecord(Version.OCI_SPEC, id, pid, startTime, Status.CREATING,
                            config.bundle().toString(), config.rootfs().toString(), created,
                            spec.annotations() == null ? Map.of() : spec.annotations(), stringPaths(cgroupDirs), options.rootless(),
                            Map.of());
                    store.save(record);
                    store.saveHooks(id, spec.hooks());
                    sync.sendContinue();
                    if (PlanCompiler.syncsForHostHooks(spec)) {
                        // the init has done the mounts and waits (runc runs these hooks at that point)
                        sync.expectHooks();
                        Hooks hooks = spec.hooks();
                        byte[] state = HookState.json(record.ociVersion(), id, Status.CREATING, pid, record.bundle(), record.annotations());
                        HookRunner.run(sys, hooks.prestart(), state);
                        HookRunner.run(sys, hooks.createRuntime(), state);
                        sync.sendContinue();
                    }
                    sync.expectReady();
                    ContainerRecord createdRecord = record.withPhase(Status.CREATED);
                    store.save(createdRecord);
                    if (opts.pidFile() != null) {
                        writePidFile(opts.pidFile(), pid);
                    }
                    cleanup.done = true;
                    return createdRecord;
                } catch (Exception e) {
                    // kill before the sync socket closes: an init waiting on it would report the EOF
                    cleanup.killProcesses();
                    throw e;
                }
            }
        } catch (ErrnoException e) {
            throw new JruncException("create: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new JruncException("create: " + e.getMessage(), e);
        } finally {
            for (int fd : fds) {
                try {
                    sys.close(fd);
                } catch (ErrnoException e) {
                    // best effort
                }
            }
            try {
                cleanup.run(cgroups);
            } catch (JruncException e) {
                options.logger().warn("cleanup after a failed create: " + e.getMessage());
            }
        }
    }

    private static int track(List<Integer> fds, int fd) {
        fds.add(fd);
        return fd;
    }

    private void reap(int pid) {
        try {
            sys.waitpid(pid, false);
        } catch (ErrnoException e) {
            // already reaped or not ours: nothing to wait for
        }
    }

    /** A new user namespace gets the config's maps, written by jrunc as root (setgroups stays allowed). */
    private static void writeIdMaps(Spec spec, int pid) throws JruncException {
        if (spec.linux() == null || spec.linux().namespaces() == null) {
            return;
        }
        boolean newUserns = false;
        for (Namespace ns : spec.linux().namespaces()) {
            newUserns |= ns.type().equals("user") && (ns.path() == null || ns.path().isEmpty());
        }
        if (!newUserns) {
            return;
        }
        writeMap(pid, "uid_map", spec.linux().uidMappings());
        writeMap(pid, "gid_map", spec.linux().gidMappings());
    }

    private static void writeMap(int pid, String file, List<IdMapping> mappings) throws JruncException {
        StringBuilder text = new StringBuilder();
        for (IdMapping m : mappings) {
            text.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        try {
            Files.writeString(Path.of("/proc/" + pid + "/" + file), text);
        } catch (IOException e) {
            throw new JruncException("cannot write " + file + " of the container: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> stringPaths(Map<String, Path> dirs) {
        Map<String, String> out = new LinkedHashMap<>();
        dirs.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    /** runc writes the pid file atomically: a temporary file renamed into place. */
    static void writePidFile(Path file, int pid) throws JruncException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Integer.toString(pid));
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JruncException("cannot write pid file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Undoes a failed create: the processes, the cgroup, the state directory. */
    private final class Cleanup {
        private final String id;
        int initPid = -1;
        int containerPid = -1;
        Map<String, Path> cgroups;
        boolean done;

        Cleanup(String id) {
            this.id = id;
        }

        void killProcesses() {
            for (int pid : new int[] {containerPid, initPid}) {
                if (pid > 0) {
                    try {
                        sys.kill(pid, Signals.SIGKILL);
                    } catch (ErrnoException e) {
                        // already gone
                    }
                    reap(pid);
                }
            }
            containerPid = -1;
            initPid = -1;
        }

        void run(CgroupManager manager) throws JruncException {
            if (done) {
                return;
            }
            killProcesses();
            try {
                if (cgroups != null) {
                    CgroupManager.destroy(cgroups);
                }
            } finally {
                store.remove(id);
            }
        }
    }
}
