package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.Version;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.cgroups.CgroupManager;
import dev.jrunc.cgroups.CgroupManagers;
import dev.jrunc.cgroups.Freezer;
import dev.jrunc.cgroups.ResourcesWriter;
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
import dev.jrunc.sys.IoErrors;
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
    private final RuntimeEnvironment env;

    public ContainerCreator(RuntimeOptions options, RuntimeEnvironment env, StateStore store, Syscalls sys) {
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
     * @param hosts         the host's cgroup mounts and jrunc's own cgroups as create read them
     *                      ({@code run}'s delete uses them rather than read /proc/self/mountinfo again)
     */
    public record Created(ContainerRecord record, int consoleMaster, int notifySocket, CgroupHierarchies hosts) {}

    /** {@code create}: the created container, with its record saved. */
    public ContainerRecord create(String id, CreateOptions opts) throws JruncException {
        return create(id, opts, false, true).record();
    }

    /**
     * Everything create decided before it changed anything on the host.
     *
     * @param spec          the config, with what LISTEN_FDS and NOTIFY_SOCKET change in it
     * @param terminal      process.terminal
     * @param consoleSocket --console-socket, or null
     * @param notifyHost    jrunc's NOTIFY_SOCKET, or null
     * @param extraFds      the fds the init gets after stdio: LISTEN_FDS's and --preserve-fds'
     * @param cgroup        the container's cgroup, as the driver chosen for it will make it
     */
    private record Plan(String id, CreateOptions opts, ValidConfig config, Spec spec, Path initBinary, boolean terminal,
                        String consoleSocket, String notifyHost, int extraFds, CgroupManager cgroup, CgroupHierarchies hosts,
                        int euid, long egid, byte[] plan) {
        Resources resources() {
            return spec.linux() == null ? null : spec.linux().resources();
        }
    }

    /**
     * The created container. {@code run}: the action is run (the notify socket is bound now,
     * not at start); {@code detach}: create or run -d (a terminal's master goes to
     * --console-socket, which must then be given).
     */
    public Created create(String id, CreateOptions opts, boolean run, boolean detach) throws JruncException {
        Plan plan = plan(id, opts, detach);
        return new Attempt(plan, run, detach).create();
    }

    // --- before anything is made: checks, the config, the init's plan

    private Plan plan(String id, CreateOptions opts, boolean detach) throws JruncException {
        checkRequest(id, opts);
        ValidConfig config = ConfigValidator.load(opts.bundle());
        Spec spec = config.spec();
        Path initBinary = env.locateInit();
        // the directory, whatever it holds, makes the id taken (a state file in it implies it);
        // Files.exists without options asks access(2), where a NOFOLLOW_LINKS check of a missing
        // file throws and catches a NoSuchFileException, stack trace included
        if (Files.exists(store.dir(id))) {
            throw new JruncException("container with given ID already exists: " + id);
        }
        boolean terminal = spec.process() != null && Boolean.TRUE.equals(spec.process().terminal());
        String consoleSocket = opts.consoleSocket() == null || opts.consoleSocket().isEmpty() ? null : opts.consoleSocket();
        checkTerminal(terminal, consoleSocket, detach);
        String notifyHost = NotifySocket.host(env.environment());
        if (notifyHost != null && spec.process() != null) {
            spec = NotifySocket.setupSpec(spec, store.dir(id));
        }
        int listenFds = ListenFds.count(env.environment(), sys.getpid());
        if (listenFds > 0 && spec.process() != null) {
            spec = ListenFds.setupSpec(spec, listenFds);
        }
        int n = listenFds + opts.preserveFds();
        CgroupHierarchies cgroups = env.cgroups();
        warnIgnored(spec, cgroups);
        // unprivileged (runc's RootlessEUID): no setgroups(2) in the container, no additional gids
        int euid = sys.geteuid();
        long egid = IdMaps.egid(env);
        IdMaps.checkNoAdditionalGroups(spec.process(), euid);
        String cgroupsPath = spec.linux() == null ? null : spec.linux().cgroupsPath();
        // rootless without cgroupsPath: as runc, under jrunc's own cgroup (a delegated subtree
        // is writable there); the hierarchies the caller may not write are left out at create.
        // --systemd-cgroup: a transient unit (its slice:prefix:name form and the org.systemd.property.*
        // annotations checked here, before anything is made)
        CgroupManager cgroup = CgroupManagers.forCreate(sys, cgroups, cgroupsPath, id, options.rootless(), options.systemdCgroup(),
                spec.annotations());
        cgroup.check(spec.linux() == null ? null : spec.linux().resources(), options.logger());
        // without a cgroup namespace the init's cgroup directories are bound at /sys/fs/cgroup
        Map<String, Path> boundDirs = cgroup.visibleDirs();
        byte[] initPlan;
        try {
            initPlan = PlanWriter.encode(PlanCompiler.compile(spec, new HostFacts(config.bundle(), config.rootfs(), opts.noPivot(),
                    opts.consoleSocket() != null, InitLauncher.extraTarget(n), n, euid == 0,
                    HostFacts.fromHierarchies(cgroups.mounts(), boundDirs)),
                    Security.probe(sys), id));
        } catch (PlanException e) {
            throw new JruncException(e.getMessage(), e);
        }
        DebugSteps.create(options.logger(), id, config.bundle(), config.rootfs(), spec, cgroup.dirs());
        return new Plan(id, opts, config, spec, initBinary, terminal, consoleSocket, notifyHost, n, cgroup, cgroups, euid, egid, initPlan);
    }

    private void checkRequest(String id, CreateOptions opts) throws JruncException {
        store.dir(id); // the id is checked before anything else
        if (opts.preserveFds() < 0) {
            throw new JruncException("--preserve-fds must not be negative");
        }
    }

    /** runc's checkTerminal, same texts. */
    static void checkTerminal(boolean terminal, String consoleSocket, boolean detach) throws JruncException {
        if (detach && terminal && consoleSocket == null) {
            throw new JruncException("cannot allocate tty if runc will detach without setting console socket");
        }
        if ((!detach || !terminal) && consoleSocket != null) {
            throw new JruncException("cannot use console socket if runc will not detach or allocate tty");
        }
    }

    /** Warns of what the config asks for and the container will not get, in runc's words where runc warns too. */
    private void warnIgnored(Spec spec, CgroupHierarchies cgroups) {
        List<String> unknownCaps = PlanCompiler.unknownCapabilities(spec.process() == null ? null : spec.process().capabilities());
        if (!unknownCaps.isEmpty()) {
            options.logger().warn("ignoring unknown or unavailable capabilities: [" + String.join(" ", unknownCaps) + "]");
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
    }

    // --- the steps that make something; a failure in any of them undoes all of them

    /**
     * One create, from the console socket to the record of a created container. Each step
     * tracks what it made (fds, the init and container processes, the cgroup, the state
     * directory) so that a failure anywhere leaves nothing behind.
     */
    private final class Attempt {
        private final Plan p;
        private final boolean run;
        private final boolean detach;
        private final List<Integer> fds = new ArrayList<>();
        private final Cleanup cleanup;
        private int consoleFd = -1;
        private int notifyFd = -1;
        private int master = -1;
        private Path dir;

        Attempt(Plan p, boolean run, boolean detach) {
            this.p = p;
            this.run = run;
            this.detach = detach;
            this.cleanup = new Cleanup(p.id());
        }

        Created create() throws JruncException {
            dialConsoleSocket();
            try {
                dir = store.create(p.id());
            } catch (JruncException e) {
                closeQuietly(consoleFd);
                throw e;
            }
            try {
                // first, before any cgroup or process exists: delete --force of a create killed
                // half-way finds the container's cgroups through it (Remnants)
                saveConfig(p.spec(), p.config());
                bindNotifySocket();
                int fifoFd = makeExecFifo();
                String created = GoTime.rfc3339Nano(Instant.now());
                InitLauncher.Launched init = InitLauncher.launch(sys, env, p.initBinary(), p.plan(), p.extraFds(), List.of(fifoFd));
                cleanup.initPid = init.pid();
                try (SyncChannel sync = new SyncChannel(sys, init.syncFd())) {
                    try {
                        // only the init needs the fifo now (close releases the fd even when it reports an error)
                        fds.remove(Integer.valueOf(fifoFd));
                        closeQuietly(fifoFd);
                        return setUp(sync, init.pid(), created);
                    } catch (Exception e) {
                        // kill before the sync socket closes: an init waiting on it would report the EOF
                        cleanup.killProcesses();
                        throw e;
                    }
                }
            } catch (ErrnoException e) {
                throw new JruncException("create: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new JruncException("create: " + IoErrors.message(e), e);
            } finally {
                for (int fd : fds) {
                    closeQuietly(fd);
                }
                try {
                    cleanup.run();
                } catch (JruncException e) {
                    options.logger().warn("cleanup after a failed create: " + e.getMessage());
                }
            }
        }

        /** What follows the init's start, in the order the init expects it. */
        private Created setUp(SyncChannel sync, int initPid, String created) throws JruncException, ErrnoException, IOException {
            int pid = sync.expectPid();
            options.logger().debug("init " + initPid + " cloned the container's pid 1: " + pid);
            cleanup.containerPid = pid;
            reap(initPid);
            cleanup.initPid = -1;
            joinCgroups(pid);
            options.logger().debug("joined the cgroups of " + p.id() + " with pid " + pid);
            IdMaps.write(p.spec(), pid, p.euid(), p.egid(), env);
            ContainerRecord record = saveCreating(pid, created);
            sync.sendContinue();
            runCreateHooks(sync, record);
            Hooks specHooks = p.spec().hooks();
            DebugSteps.hooks(options.logger(), "createContainer", specHooks == null ? null : specHooks.createContainer(),
                    "by the init, in the container's namespaces");
            receiveConsole(sync);
            sync.expectReady(SeccompAgent.handler(sys, p.spec().linux() == null ? null : p.spec().linux().seccomp(),
                    record, "creating", record::pid));
            ContainerRecord createdRecord = record.withPhase(Status.CREATED);
            store.save(createdRecord);
            options.logger().debug("container " + p.id() + " created, pid " + pid + " waits on the exec fifo");
            if (p.opts().pidFile() != null) {
                writePidFile(p.opts().pidFile(), pid);
            }
            cleanup.done = true;
            if (!detach) {
                fds.remove(Integer.valueOf(master));
            } else {
                master = -1;
            }
            fds.remove(Integer.valueOf(notifyFd));
            return new Created(createdRecord, master, notifyFd, p.hosts());
        }

        /** runc dials the console socket before it starts the container. */
        private void dialConsoleSocket() throws JruncException {
            if (p.terminal() && detach) {
                try {
                    consoleFd = sys.connectUnix(p.consoleSocket(), false);
                } catch (ErrnoException e) {
                    throw new JruncException("dial unix " + p.consoleSocket() + ": " + e.getMessage(), e);
                }
                fds.add(consoleFd);
            }
        }

        /** NOTIFY_SOCKET: the directory the container binds; {@code run} binds the socket now. */
        private void bindNotifySocket() throws JruncException {
            if (p.notifyHost() != null) {
                NotifySocket.makeDirectory(dir);
                if (run) {
                    notifyFd = track(NotifySocket.bind(sys, dir));
                }
            }
        }

        /** The exec fifo start opens; the init gets an O_PATH fd of it. */
        private int makeExecFifo() throws ErrnoException {
            Path fifo = dir.resolve(StateStore.EXEC_FIFO);
            sys.mkfifo(fifo.toString(), 0622);
            return track(sys.open(fifo.toString(), O_PATH));
        }

        /** The container's cgroup, its limits written before the container's process joins it. */
        private void joinCgroups(int pid) throws JruncException {
            cleanup.cgroup = p.cgroup();
            p.cgroup().enter(pid, p.resources(),
                    p.spec().linux() == null || p.spec().linux().devices() == null ? List.of() : p.spec().linux().devices());
        }

        /** The record (status "creating"), the hooks and the config exec compiles against. */
        private ContainerRecord saveCreating(int pid, String created) throws JruncException, IOException {
            long startTime = env.procStat(pid).map(ProcStat::startTime)
                    .orElseThrow(() -> new JruncException("container init exited during create"));
            Spec spec = p.spec();
            ValidConfig config = p.config();
            ContainerRecord record = new ContainerRecord(Version.OCI_SPEC, p.id(), pid, startTime, Status.CREATING,
                    config.bundle().toString(), config.rootfs().toString(), created,
                    spec.annotations() == null ? Map.of() : spec.annotations(), CgroupManager.stringPaths(p.cgroup().dirs()),
                    options.rootless(), p.cgroup().driver().text(), Map.of());
            store.save(record);
            store.saveHooks(p.id(), spec.hooks());
            return record;
        }

        /**
         * The config exec and update read back: the bundle's bytes as checked, copied; serialised
         * again only when create changed it (LISTEN_FDS, NOTIFY_SOCKET).
         */
        private void saveConfig(Spec spec, ValidConfig config) throws IOException {
            Path file = dir.resolve(SAVED_CONFIG);
            if (spec == config.spec()) {
                Files.write(file, config.bytes());
            } else {
                Json.mapper().writeValue(file.toFile(), spec);
            }
        }

        /** prestart and createRuntime: the init has done the mounts and waits (runc runs these hooks at that point). */
        private void runCreateHooks(SyncChannel sync, ContainerRecord record) throws JruncException {
            if (!PlanCompiler.syncsForHostHooks(p.spec())) {
                return;
            }
            sync.expectHooks();
            Hooks hooks = p.spec().hooks();
            byte[] state = HookState.json(record.ociVersion(), p.id(), Status.CREATING, record.pid(), record.bundle(),
                    record.annotations());
            DebugSteps.hooks(options.logger(), "prestart", hooks.prestart(), "in the runtime's namespaces");
            HookRunner.run(sys, env, hooks.prestart(), state);
            DebugSteps.hooks(options.logger(), "createRuntime", hooks.createRuntime(), "in the runtime's namespaces");
            HookRunner.run(sys, env, hooks.createRuntime(), state);
            sync.sendContinue();
        }

        /** process.terminal: the pty master, sent on to --console-socket (create, run -d) or kept for run. */
        private void receiveConsole(SyncChannel sync) throws JruncException, ErrnoException {
            if (!p.terminal()) {
                return;
            }
            master = track(sync.expectConsole());
            if (detach) {
                // runc's utils.SendFd: the name of the master ("/dev/ptmx") with the fd
                sys.sendMessage(consoleFd, "/dev/ptmx".getBytes(StandardCharsets.UTF_8), master);
            }
        }

        private int track(int fd) {
            fds.add(fd);
            return fd;
        }
    }

    private void closeQuietly(int fd) {
        if (fd >= 0) {
            NotifySocket.closeQuietly(sys, fd);
        }
    }

    private void reap(int pid) {
        if (!Reaper.reap(sys, pid)) {
            options.logger().warn("process " + pid + " did not exit within " + Reaper.TIMEOUT_MS / 1000 + "s; left to init");
        }
    }

    /**
     * The resource limits of a config that jrunc does not write into the cgroup: on v2 hosts
     * what v2 has no file for (device rules are an eBPF program there); everywhere {@code memory.kernel} (the obsolete kernel memory
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
        }
        if (r.memory() != null && r.memory().kernel() != null && r.memory().kernel() != 0) out.add("memory.kernel");
        out.addAll(r.extra().keySet());
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
            throw new JruncException("cannot write pid file " + file + ": " + IoErrors.message(e), e);
        }
    }

    /** Undoes a failed create: the processes, the cgroup, the state directory. */
    private final class Cleanup {
        private final String id;
        int initPid = -1;
        int containerPid = -1;
        /** Set once the cgroup's making starts: what it made so far is removed. */
        CgroupManager cgroup;
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
                    if (pid == containerPid) {
                        thawCgroup();
                    }
                    reap(pid);
                }
            }
            containerPid = -1;
            initPid = -1;
        }

        /** A container frozen in its cgroup (frozen during create) dies of SIGKILL only once thawed. */
        private void thawCgroup() {
            Freezer freezer = cgroup == null ? null : cgroup.freezer();
            if (freezer != null && freezer.frozen()) {
                try {
                    freezer.thaw();
                } catch (JruncException e) {
                    options.logger().warn(e.getMessage());
                }
            }
        }

        void run() throws JruncException {
            if (done) {
                return;
            }
            killProcesses();
            try {
                if (cgroup != null) {
                    cgroup.destroy();
                }
            } finally {
                store.remove(id);
            }
        }
    }
}
