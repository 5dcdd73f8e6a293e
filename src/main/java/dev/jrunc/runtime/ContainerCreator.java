package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.Version;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.cgroups.CgroupManager;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.plan.HostFacts;
import dev.jrunc.plan.PlanCompiler;
import dev.jrunc.plan.PlanException;
import dev.jrunc.plan.PlanWriter;
import dev.jrunc.plan.Security;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.spec.model.IdMapping;
import dev.jrunc.spec.model.Memory;
import dev.jrunc.spec.model.Namespace;
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
        Map<String, Path> cgroupDirs = cgroups.paths(spec.linux() == null ? null : spec.linux().cgroupsPath(), id);
        byte[] plan;
        try {
            plan = PlanWriter.encode(PlanCompiler.compile(spec, new HostFacts(config.bundle(), config.rootfs(), opts.noPivot(),
                    opts.consoleSocket() != null, fifoTarget, n, true, HostFacts.fromHierarchies(cgroups.mounts(), cgroupDirs)),
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
                    cgroups.create(cgroupDirs);
                    cleanup.cgroups = cgroupDirs;
                    // the limits are in place before the container's process joins
                    ResourcesWriter.apply(cgroups.mounts(), cgroupDirs, resources, spec.linux() == null ? null : spec.linux().devices(), true);
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
                    sync.expectReady(seccompListener(spec, record));
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

    /**
     * A filter with SCMP_ACT_NOTIFY: the init sends its listener fd, which goes to the seccomp
     * agent at listenerPath with the container process state (runtime-spec
     * "containerProcessState"), in one message, as runc does; null without a listenerPath.
     */
    private SyncChannel.ListenerHandler seccompListener(Spec spec, ContainerRecord record) {
        Seccomp seccomp = spec.linux() == null ? null : spec.linux().seccomp();
        if (seccomp == null || seccomp.listenerPath() == null || seccomp.listenerPath().isEmpty()) {
            return null;
        }
        String path = seccomp.listenerPath();
        return fd -> {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("ociVersion", Version.OCI_SPEC);
            state.put("id", record.id());
            state.put("status", "creating");
            state.put("pid", record.pid());
            state.put("bundle", record.bundle());
            if (record.annotations() != null && !record.annotations().isEmpty()) {
                state.put("annotations", record.annotations());
            }
            Map<String, Object> processState = new LinkedHashMap<>();
            processState.put("ociVersion", Version.OCI_SPEC);
            processState.put("fds", List.of("seccompFd"));
            processState.put("pid", record.pid());
            if (seccomp.listenerMetadata() != null && !seccomp.listenerMetadata().isEmpty()) {
                processState.put("metadata", seccomp.listenerMetadata());
            }
            processState.put("state", state);
            byte[] json;
            try {
                json = Json.mapper().writeValueAsBytes(processState);
            } catch (IOException e) {
                throw new JruncException("cannot encode the container process state: " + e.getMessage(), e);
            }
            try {
                sys.unixSendFd(path, json, fd);
            } catch (ErrnoException e) {
                int errno = e.errno();
                if (errno == Errno.ENOENT || errno == Errno.ECONNREFUSED || errno == Errno.EACCES) {
                    throw new JruncException("failed to connect with seccomp agent specified in the seccomp profile: dial unix "
                            + path + ": connect: " + Errno.describe(errno), e);
                }
                throw new JruncException("failed to send seccomp fd " + fd + ": " + e.getMessage(), e);
            }
        };
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
     * {@code unified} (cgroup v2 files), on v2 hosts what v2 has no file for (and the device
     * rules, which need eBPF there); everywhere {@code memory.kernel} (the obsolete kernel memory
     * limit, which runc ignores too) and members it does not know.
     */
    static List<String> unappliedLimits(Resources r, boolean v2) {
        List<String> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        if (v2) {
            // v2 has no files for these; device rules would need an eBPF program
            if (r.devices() != null && !r.devices().isEmpty()) out.add("devices");
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
