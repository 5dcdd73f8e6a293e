package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.Version;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.cgroups.CgroupManager;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.cgroups.RootlessCgroups;
import dev.jrunc.plan.HostFacts;
import dev.jrunc.plan.PlanCompiler;
import dev.jrunc.plan.PlanException;
import dev.jrunc.plan.PlanWriter;
import dev.jrunc.plan.Security;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.spec.model.Memory;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.spec.validate.ConfigValidator;
import dev.jrunc.spec.validate.ConfigValidator.ValidConfig;
import dev.jrunc.state.GoTime;
import dev.jrunc.state.ProcStat;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.HookState;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Seccomp;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.process.Signals;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 *   <li>spawn jrunc-init, from a sealed memfd copy (CVE-2019-5736), with exactly the fds it
 *       needs: stdio, the preserved fds 3..3+N-1, then the plan, the sync socket, an O_PATH fd of
 *       the fifo and the memfd it runs from;
 *   <li>init reports the container's pid; jrunc makes its cgroup, writes its uid/gid maps, tells
 *       it to continue;
 *   <li>init does the mounts; with prestart or createRuntime hooks it stops ("hooks") while
 *       jrunc runs them, as runc does; then createContainer hooks, pivot_root, the rest;
 *   <li>with process.terminal the init sends the pty master ({@code console}): jrunc passes it
 *       to --console-socket (connected before anything was made) or keeps it for {@code run};
 *   <li>init reports ready (it now blocks on the fifo); jrunc records
 *       the container as created and writes the pid file.
 * </ol>
 * jrunc's own LISTEN_FDS/LISTEN_PID and NOTIFY_SOCKET change the container as runc's do
 * ({@link ListenFds}, {@link NotifySocket}).
 * Any failure kills the container, removes its cgroup and its state directory.
 */
public final class ContainerCreator {
    private static final int O_PATH = 010000000;
    /** The container's config as create used it, in its state directory: {@code exec} compiles its process against it. */
    static final String SAVED_CONFIG = "config.json";

    private final RuntimeOptions options;
    private final StateStore store;
    private final Syscalls sys;
    private final Map<String, String> env;

    public ContainerCreator(RuntimeOptions options, StateStore store, Syscalls sys) {
        this(options, store, sys, System.getenv());
    }

    /** {@code env}: jrunc's own environment (LISTEN_FDS, LISTEN_PID, NOTIFY_SOCKET). */
    public ContainerCreator(RuntimeOptions options, StateStore store, Syscalls sys, Map<String, String> env) {
        this.options = options;
        this.store = store;
        this.sys = sys;
        this.env = env;
    }

    /**
     * What {@code run} needs beyond the record.
     *
     * @param consoleMaster the pty master (process.terminal in the foreground), else -1; the caller closes it
     * @param notifySocket  the bound notify socket ({@code run} with NOTIFY_SOCKET), else -1; the caller closes it
     */
    public record Created(ContainerRecord record, int consoleMaster, int notifySocket) {}

    /** {@code create}: the created container, with its record saved. */
    public ContainerRecord create(String id, CreateOptions opts) throws JruncException {
        return create(id, opts, false, true).record();
    }

    /**
     * The created container. {@code run}: the action is run (the notify socket is bound now,
     * not at start); {@code detach}: create or run -d (a terminal's master goes to
     * --console-socket, which must then be given).
     */
    public Created create(String id, CreateOptions opts, boolean run, boolean detach) throws JruncException {
        store.dir(id); // the id is checked before anything else
        if (options.systemdCgroup()) {
            // runc's test for a running systemd; with one, the driver is simply not built yet
            if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
                throw new JruncException("systemd not running on this host, cannot use systemd cgroups manager");
            }
            throw new JruncException("--systemd-cgroup: the systemd cgroup driver is not supported yet; use the cgroupfs driver (no flag)");
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
        boolean terminal = spec.process() != null && Boolean.TRUE.equals(spec.process().terminal());
        String consoleSocket = opts.consoleSocket() == null || opts.consoleSocket().isEmpty() ? null : opts.consoleSocket();
        // runc's checkTerminal, same texts
        if (detach && terminal && consoleSocket == null) {
            throw new JruncException("cannot allocate tty if runc will detach without setting console socket");
        }
        if ((!detach || !terminal) && consoleSocket != null) {
            throw new JruncException("cannot use console socket if runc will not detach or allocate tty");
        }
        String notifyHost = NotifySocket.host(env);
        if (notifyHost != null && spec.process() != null) {
            spec = NotifySocket.setupSpec(spec, store.dir(id));
        }
        int listenFds = ListenFds.count(env, sys.getpid());
        if (listenFds > 0 && spec.process() != null) {
            spec = ListenFds.setupSpec(spec, listenFds);
        }
        int n = listenFds + opts.preserveFds();
        int fifoTarget = InitLauncher.extraTarget(n); // the init's fd of the exec fifo
        List<String> unknownCaps = PlanCompiler.unknownCapabilities(spec.process() == null ? null : spec.process().capabilities());
        if (!unknownCaps.isEmpty()) {
            options.logger().warn("ignoring unknown or unavailable capabilities: [" + String.join(" ", unknownCaps) + "]");
        }
        CgroupManager cgroups = CgroupManager.host();
        // unprivileged (runc's RootlessEUID): no setgroups(2) in the container, no additional gids
        int euid = sys.geteuid();
        long egid = IdMaps.egid();
        IdMaps.checkNoAdditionalGroups(spec.process(), euid);
        String cgroupsPath = spec.linux() == null ? null : spec.linux().cgroupsPath();
        boolean explicitCgroup = cgroupsPath != null && !cgroupsPath.isEmpty();
        // rootless without cgroupsPath: as runc, under jrunc's own cgroup (a delegated subtree
        // is writable there); the hierarchies the caller may not write are left out at create.
        // Known before the plan: without a cgroup namespace the container's own directories are
        // bound at /sys/fs/cgroup.
        Map<String, Path> cgroupDirs = cgroups.paths(options.rootless() && !explicitCgroup ? id : cgroupsPath, id);
        // rootless: a hierarchy create will leave out is bound from the cgroup the init stays in
        Map<String, Path> boundDirs = options.rootless()
                ? RootlessCgroups.visible(cgroups.mounts(), cgroupDirs, RootlessCgroups.ownCgroups(), explicitCgroup,
                        RootlessCgroups::usable)
                : cgroupDirs;
        byte[] plan;
        try {
            plan = PlanWriter.encode(PlanCompiler.compile(spec, new HostFacts(config.bundle(), config.rootfs(), opts.noPivot(),
                    opts.consoleSocket() != null, fifoTarget, n, euid == 0,
                    HostFacts.fromHierarchies(cgroups.mounts(), boundDirs)),
                    Security.probe(sys), id));
        } catch (PlanException e) {
            throw new JruncException(e.getMessage(), e);
        }
        Resources resources = spec.linux() == null ? null : spec.linux().resources();
        List<String> limits = unappliedLimits(resources, !ResourcesWriter.v1(cgroups.mounts()));
        if (!limits.isEmpty()) {
            // cgroup limits are not written yet: say so rather than run without them silently
            options.logger().warn("linux.resources: not applied yet, the container runs without these limits: "
                    + String.join(", ", limits));
        }
        if (spec.linux() != null && spec.linux().personality() != null && spec.linux().personality().flags() != null
                && !spec.linux().personality().flags().isEmpty()) {
            // runc's behaviour and words: the domain is set, the flags are not
            options.logger().warn("ignoring unsupported personality flags: [" + String.join(" ", spec.linux().personality().flags())
                    + "] because personality flag has not supported at this time");
        }

        int consoleFd = -1;
        if (terminal && detach) {
            // runc dials the console socket before it starts the container
            try {
                consoleFd = sys.connectUnix(consoleSocket, false);
            } catch (ErrnoException e) {
                throw new JruncException("dial unix " + consoleSocket + ": " + e.getMessage(), e);
            }
        }
        Path dir;
        try {
            dir = store.create(id);
        } catch (JruncException e) {
            closeQuietly(consoleFd);
            throw e;
        }
        Cleanup cleanup = new Cleanup(id);
        List<Integer> fds = new ArrayList<>();
        if (consoleFd >= 0) {
            fds.add(consoleFd);
        }
        int master = -1;
        int notifyFd = -1;
        try {
            if (notifyHost != null) {
                NotifySocket.makeDirectory(dir);
                if (run) {
                    notifyFd = track(fds, NotifySocket.bind(sys, dir));
                }
            }
            Path fifo = dir.resolve(StateStore.EXEC_FIFO);
            sys.mkfifo(fifo.toString(), 0622);
            int fifoFd = track(fds, sys.open(fifo.toString(), O_PATH));
            String created = GoTime.rfc3339Nano(Instant.now());
            InitLauncher.Launched init = InitLauncher.launch(sys, initBinary, plan, n, List.of(fifoFd));
            cleanup.initPid = init.pid();
            // only the init needs the fifo now
            sys.close(fifoFd);
            fds.remove(Integer.valueOf(fifoFd));
            try (SyncChannel sync = new SyncChannel(sys, init.syncFd())) {
                try {
                    int pid = sync.expectPid();
                    cleanup.containerPid = pid;
                    reap(init.pid());
                    cleanup.initPid = -1;
                    if (options.rootless()) {
                        cgroupDirs = rootlessCgroups(cgroups, cgroupDirs, explicitCgroup, resources, pid, cleanup);
                    } else {
                        cgroups.create(cgroupDirs);
                        cleanup.cgroups = cgroupDirs;
                        // the limits are in place before the container's process joins; the device
                        // rules are always set (runc's default allow list even without linux.resources)
                        ResourcesWriter.apply(sys, cgroups.mounts(), cgroupDirs, resources,
                                spec.linux() == null || spec.linux().devices() == null ? List.of() : spec.linux().devices(), true);
                        cgroups.join(cgroupDirs, pid);
                    }
                    IdMaps.write(spec, pid, euid, egid);
                    long startTime = ProcStat.read(pid).map(ProcStat::startTime)
                            .orElseThrow(() -> new JruncException("container init exited during create"));
                    ContainerRecord record = new ContainerRecord(Version.OCI_SPEC, id, pid, startTime, Status.CREATING,
                            config.bundle().toString(), config.rootfs().toString(), created,
                            spec.annotations() == null ? Map.of() : spec.annotations(), stringPaths(cgroupDirs), options.rootless(),
                            Map.of());
                    store.save(record);
                    store.saveHooks(id, spec.hooks());
                    Json.mapper().writeValue(dir.resolve(SAVED_CONFIG).toFile(), spec);
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
                    if (terminal) {
                        master = track(fds, sync.expectConsole());
                        if (detach) {
                            // runc's utils.SendFd: the name of the master ("/dev/ptmx") with the fd
                            sys.sendMessage(consoleFd, "/dev/ptmx".getBytes(StandardCharsets.UTF_8), master);
                        }
                    }
                    sync.expectReady(SeccompAgent.handler(sys, spec.linux() == null ? null : spec.linux().seccomp(),
                            record, "creating", record::pid));
                    ContainerRecord createdRecord = record.withPhase(Status.CREATED);
                    store.save(createdRecord);
                    if (opts.pidFile() != null) {
                        writePidFile(opts.pidFile(), pid);
                    }
                    cleanup.done = true;
                    if (!detach) {
                        fds.remove(Integer.valueOf(master));
                    } else {
                        master = -1;
                    }
                    fds.remove(Integer.valueOf(notifyFd));
                    return new Created(createdRecord, master, notifyFd);
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

    private void closeQuietly(int fd) {
        if (fd >= 0) {
            NotifySocket.closeQuietly(sys, fd);
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

    /**
     * The resource limits of a config that jrunc does not write into the cgroup: on v1 hosts
     * {@code unified} (cgroup v2 files), on v2 hosts what v2 has no file for (device rules are
     * an eBPF program there); everywhere {@code memory.kernel} (the obsolete kernel memory
     * limit, which runc ignores too) and members it does not know.
     */
    static List<String> unappliedLimits(Resources r, boolean v2) {
        List<String> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        if (v2) {
            // v2 has no files for these
            Memory m = r.memory();
            if (m != null && m.kernelTCP() != null && m.kernelTCP() != 0) out.add("memory.kernelTCP");
            if (m != null && m.swappiness() != null) out.add("memory.swappiness");
            if (m != null && Boolean.TRUE.equals(m.disableOOMKiller())) out.add("memory.disableOOMKiller");
            if (r.cpu() != null && r.cpu().realtimeRuntime() != null && r.cpu().realtimeRuntime() != 0) out.add("cpu.realtimeRuntime");
            if (r.cpu() != null && r.cpu().realtimePeriod() != null && r.cpu().realtimePeriod() != 0) out.add("cpu.realtimePeriod");
            if (r.network() != null) out.add("network");
        } else if (r.unified() != null && !r.unified().isEmpty()) {
            out.add("unified");
        }
        if (r.memory() != null && r.memory().kernel() != null && r.memory().kernel() != 0) out.add("memory.kernel");
        out.addAll(r.extra().keySet());
        return out;
    }

    /**
     * runc's rootless cgroupfs manager: the directories the caller may make and join, limits
     * written into them (no device rules), an error for a limit whose controller has none.
     */
    private Map<String, Path> rootlessCgroups(CgroupManager cgroups, Map<String, Path> dirs, boolean explicit,
            Resources resources, int pid, Cleanup cleanup) throws JruncException {
        boolean v2 = !ResourcesWriter.v1(cgroups.mounts());
        Map<String, Path> made = RootlessCgroups.create(cgroups, dirs, explicit);
        cleanup.cgroups = made;
        RootlessCgroups.checkLimits(resources, made, v2);
        ResourcesWriter.apply(sys, cgroups.mounts(), RootlessCgroups.withoutDevices(made), resources, null, true);
        Map<String, Path> joined = RootlessCgroups.join(cgroups, made, pid, explicit, !v2);
        cleanup.cgroups = joined;
        RootlessCgroups.checkLimits(resources, joined, v2);
        return joined;
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
