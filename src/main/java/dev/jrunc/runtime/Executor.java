package dev.jrunc.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.JruncException;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.cgroups.SubCgroups;
import dev.jrunc.json.Json;
import dev.jrunc.json.JsonFile;
import dev.jrunc.plan.HostFacts;
import dev.jrunc.plan.PlanCompiler;
import dev.jrunc.plan.PlanException;
import dev.jrunc.plan.PlanWriter;
import dev.jrunc.plan.Security;
import dev.jrunc.process.Signals;
import dev.jrunc.spec.SpecReader;
import dev.jrunc.spec.model.Capabilities;
import dev.jrunc.spec.model.Namespace;
import dev.jrunc.spec.model.Process;
import dev.jrunc.spec.model.Seccomp;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.spec.model.User;
import dev.jrunc.spec.validate.ConfigValidator;
import dev.jrunc.spec.validate.Violation;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.StatusResolver;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.IoErrors;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exec}: a new process in a running (or created) container, as runc's setnsProcess. The
 * container's config (saved at create) with the exec'd process is compiled into an exec plan
 * ({@link PlanCompiler#compileExec}); jrunc-init joins the init's namespaces, clones (the child
 * is in the container's pid namespace), reports the pid; jrunc puts it into the container's
 * cgroup and lets it continue; it then sets up the process and reports "ready" right before
 * execve. In the foreground jrunc waits for it (forwarding signals) and returns its status.
 */
public final class Executor {
    /** /proc/PID/ns file of each namespace kind of config.json. */
    private static final Map<String, String> PROC_NS = Map.of("user", "user", "ipc", "ipc", "uts", "uts",
            "network", "net", "pid", "pid", "cgroup", "cgroup", "time", "time", "mount", "mnt");

    private final RuntimeOptions options;
    private final RuntimeEnvironment env;
    private final StateStore store;
    private final StatusResolver statuses;
    private final Syscalls sys;

    public Executor(RuntimeOptions options, RuntimeEnvironment env, StateStore store, StatusResolver statuses, Syscalls sys) {
        this.options = options;
        this.env = env;
        this.store = store;
        this.statuses = statuses;
        this.sys = sys;
    }

    /** The process's exit status in the foreground (128+N for signal N), 0 when detached. */
    public int exec(String id, ExecOptions opts) throws JruncException {
        // runc's exec reports a missing container without its name
        ContainerRecord record = store.find(id).orElseThrow(() -> new JruncException("container does not exist"));
        Status status = statuses.status(record, store.dir(id));
        if (status == Status.STOPPED) {
            throw new JruncException("cannot exec in a stopped container");
        }
        if (status == Status.PAUSED && !opts.ignorePaused()) {
            throw new JruncException("cannot exec in a paused container (use --ignore-paused to override)");
        }
        if (opts.preserveFds() < 0) {
            throw new JruncException("--preserve-fds must not be negative");
        }
        JsonNode config = savedConfig(store.dir(id), record);
        Spec containerSpec;
        try {
            containerSpec = SpecReader.toSpec(config);
        } catch (IOException e) {
            throw new JruncException("cannot read the container's config: " + IoErrors.message(e), e);
        }
        Process process = process(config, containerSpec, opts);
        Spec spec = new Spec(containerSpec.ociVersion(), process, containerSpec.root(), containerSpec.hostname(),
                containerSpec.domainname(), containerSpec.mounts(), containerSpec.hooks(), containerSpec.annotations(),
                containerSpec.linux(), containerSpec.extra());
        boolean terminal = Boolean.TRUE.equals(process.terminal());
        ContainerCreator.checkTerminal(terminal, opts.consoleSocket(), opts.detach());
        List<String> unknownCaps = PlanCompiler.unknownCapabilities(process.capabilities());
        if (!unknownCaps.isEmpty()) {
            options.logger().warn("ignoring unknown or unavailable capabilities: [" + String.join(" ", unknownCaps) + "]");
        }
        int pid0 = record.pid();
        Map<String, String> nsPaths = namespacePaths(spec, pid0);
        // unprivileged, runc never calls setgroups (its RootlessEUID) and refuses additional groups
        boolean setgroups = sys.geteuid() == 0;
        IdMaps.checkNoAdditionalGroups(process, sys.geteuid());
        if (setgroups && nsPaths.containsKey("user")) {
            try {
                setgroups = !Files.readString(env.proc(pid0, "setgroups")).trim().equals("deny");
            } catch (IOException e) {
                // no setgroups file: setgroups is allowed
            }
        }
        int n = opts.preserveFds();
        Path bundle = Path.of(record.bundle());
        byte[] plan;
        try {
            plan = PlanWriter.encode(PlanCompiler.compileExec(spec, new HostFacts(bundle, Path.of(record.rootfs()), false,
                    false, -1, n, setgroups, List.of()), Security.probe(sys), nsPaths));
        } catch (PlanException e) {
            throw new JruncException(e.getMessage(), e);
        }
        Map<String, Path> cgroupDirs = SubCgroups.resolve(SubCgroups.parse(opts.cgroups()), record.cgroupPaths());
        Seccomp seccomp = spec.linux() == null ? null : spec.linux().seccomp();
        return run(plan, n, cgroupDirs, opts, terminal, record, seccomp);
    }

    private int run(byte[] plan, int n, Map<String, Path> cgroupDirs, ExecOptions opts, boolean terminal,
                    ContainerRecord record, Seccomp seccomp) throws JruncException {
        List<Integer> fds = new ArrayList<>();
        int consoleFd = -1;
        if (terminal && opts.detach()) {
            // runc dials the console socket before it starts the process
            try {
                consoleFd = track(fds, sys.connectUnix(opts.consoleSocket(), false));
            } catch (ErrnoException e) {
                throw new JruncException("dial unix " + opts.consoleSocket() + ": " + e.getMessage(), e);
            }
        }
        int master = -1;
        int pid = -1;
        int initPid = -1;
        boolean done = false;
        try {
            InitLauncher.Launched init = InitLauncher.launch(sys, env, env.locateInit(), plan, n, List.of());
            initPid = init.pid();
            try (SyncChannel sync = new SyncChannel(sys, init.syncFd())) {
                try {
                    pid = sync.expectPid();
                    reap(initPid);
                    initPid = -1;
                    CgroupHierarchies.join(cgroupDirs, pid);
                    sync.sendContinue();
                    if (terminal) {
                        master = track(fds, sync.expectConsole());
                        if (opts.detach()) {
                            // runc's utils.SendFd: the name of the master ("/dev/ptmx") with the fd
                            sys.sendMessage(consoleFd, "/dev/ptmx".getBytes(java.nio.charset.StandardCharsets.UTF_8), master);
                        }
                    }
                    int execPid = pid;
                    // runc sends the agent the container's state ("running") with the exec'd process's pid
                    sync.expectReady(SeccompAgent.handler(sys, seccomp, record, "running", () -> execPid));
                } catch (JruncException | ErrnoException e) {
                    kill(pid);
                    kill(initPid);
                    pid = -1;
                    initPid = -1;
                    throw e;
                }
            }
            if (opts.pidFile() != null) {
                ContainerCreator.writePidFile(opts.pidFile(), pid);
            }
            done = true;
            if (!opts.detach()) {
                fds.remove(Integer.valueOf(master));
            }
        } catch (ErrnoException | IOException e) {
            throw new JruncException("exec failed: " + IoErrors.message(e), e);
        } finally {
            for (int fd : fds) {
                NotifySocket.closeQuietly(sys, fd);
            }
            if (!done) {
                kill(pid);
                kill(initPid);
            }
        }
        if (opts.detach()) {
            return 0;
        }
        // in the foreground with a terminal: the pty proxy, as run's (master closed by the session)
        try (RunSession session = new RunSession(sys, pid, terminal ? master : -1, -1, null)) {
            return session.waitForExit();
        }
    }

    /** The config saved at create (with the changes create made), else the bundle's. */
    private static JsonNode savedConfig(Path dir, ContainerRecord record) throws JruncException {
        try {
            Path saved = dir.resolve(ContainerCreator.SAVED_CONFIG);
            if (!Files.exists(saved)) {
                saved = Path.of(record.bundle(), "config.json");
            }
            return Json.mapper().readTree(saved.toFile());
        } catch (IOException e) {
            throw new JruncException("cannot read the container's config: " + IoErrors.message(e), e);
        }
    }

    /**
     * The exec'd process, by runc's rules: {@code --process} replaces the config's process (it
     * must pass the runtime-spec schema); else the config's process with the flags applied.
     */
    static Process process(JsonNode config, Spec containerSpec, ExecOptions o) throws JruncException {
        Process p;
        if (o.processFile() != null) {
            JsonNode tree;
            try {
                tree = Json.mapper().readTree(JsonFile.read(o.processFile()));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new JruncException(IoErrors.pathError("open", o.processFile(), e), e);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new JruncException(o.processFile() + ": " + Json.describe(e), e);
            } catch (IOException e) {
                throw new JruncException(o.processFile() + ": " + IoErrors.reason(e), e);
            }
            if (tree == null || tree.isMissingNode()) {
                throw new JruncException(o.processFile() + ": the file is empty");
            }
            ObjectNode probe = config.deepCopy();
            probe.set("process", tree);
            List<Violation> violations = ConfigValidator.check(probe);
            if (!violations.isEmpty()) {
                List<String> lines = new ArrayList<>();
                for (Violation v : violations) {
                    lines.add(o.processFile() + ": " + v);
                }
                throw new JruncException(String.join("\n", lines));
            }
            try {
                p = Json.mapper().treeToValue(tree, Process.class);
            } catch (IOException e) {
                throw new JruncException(o.processFile() + ": " + IoErrors.reason(e), e);
            }
        } else {
            p = merge(containerSpec.process(), o);
        }
        validate(p);
        return p;
    }

    /** runc's exec flags over the config's process (runc's getProcess). */
    static Process merge(Process base, ExecOptions o) throws JruncException {
        Capabilities c = base.capabilities();
        if (!o.caps().isEmpty()) {
            c = c == null ? new Capabilities(null, null, null, null, null, null) : c;
            List<String> amb = c.ambient();
            if (c.inheritable() != null) {
                // runc: ambient needs inheritable, which --cap does not set: only when the config has some
                amb = plus(c.ambient(), o.caps());
            }
            c = new Capabilities(plus(c.bounding(), o.caps()), plus(c.effective(), o.caps()), c.inheritable(),
                    plus(c.permitted(), o.caps()), amb, c.extra());
        }
        User u = base.user() == null ? new User(0L, 0L, null, null, null, null) : base.user();
        Long uid = u.uid(), gid = u.gid();
        if (o.user() != null && !o.user().isEmpty()) {
            String us = o.user();
            int colon = us.indexOf(':');
            if (colon >= 0) {
                String g = us.substring(colon + 1);
                gid = atoi(g, "parsing " + g + " as int for gid failed: ");
                us = us.substring(0, colon);
            }
            uid = atoi(us, "parsing " + us + " as int for uid failed: ");
        }
        List<Long> gids = u.additionalGids();
        if (!o.additionalGids().isEmpty()) {
            gids = new ArrayList<>(gids == null ? List.of() : gids);
            for (long g : o.additionalGids()) {
                if (g < 0) {
                    throw new JruncException("additional-gids must be a positive number " + g);
                }
                gids.add(g);
            }
        }
        u = new User(uid, gid, u.umask(), gids, u.username(), u.extra());
        List<String> env = o.env().isEmpty() ? base.env() : plus(base.env(), o.env());
        return new Process(o.tty() != null ? o.tty() : base.terminal(), base.consoleSize(), u, o.args(), base.commandLine(),
                env, o.cwd() != null && !o.cwd().isEmpty() ? o.cwd() : base.cwd(), c, base.rlimits(),
                o.noNewPrivs() != null ? o.noNewPrivs() : base.noNewPrivileges(),
                o.apparmor() != null && !o.apparmor().isEmpty() ? o.apparmor() : base.apparmorProfile(),
                base.oomScoreAdj(), base.scheduler(),
                o.processLabel() != null && !o.processLabel().isEmpty() ? o.processLabel() : base.selinuxLabel(),
                base.ioPriority(), base.execCPUAffinity(), base.extra());
    }

    /** runc's validateProcessSpec. */
    static void validate(Process p) throws JruncException {
        if (p.cwd() == null || p.cwd().isEmpty()) {
            throw new JruncException("Cwd property must not be empty");
        }
        if (!p.cwd().startsWith("/")) {
            throw new JruncException("Cwd must be an absolute path");
        }
        if (p.args() == null || p.args().isEmpty()) {
            throw new JruncException("args must not be empty");
        }
    }

    /** Go's strconv.Atoi with its error text (a 64-bit int, decimal, optional sign). */
    private static long atoi(String s, String prefix) throws JruncException {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > 0xffffffffL) {
                throw new JruncException(prefix + "strconv.Atoi: parsing \"" + s + "\": value out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new JruncException(prefix + "strconv.Atoi: parsing \"" + s + "\": invalid syntax");
        }
    }

    private static List<String> plus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a == null ? List.of() : a);
        out.addAll(b);
        return out;
    }

    /** The init's namespaces, by kind, except those jrunc already shares. */
    private Map<String, String> namespacePaths(Spec spec, int pid) throws JruncException {
        Map<String, String> out = new LinkedHashMap<>();
        List<Namespace> nss = spec.linux() == null || spec.linux().namespaces() == null ? List.of() : spec.linux().namespaces();
        for (Namespace ns : nss) {
            String name = PROC_NS.get(ns.type());
            if (name == null) {
                continue;
            }
            Path theirs = env.proc(pid, "ns/" + name);
            try {
                if (Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(env.procRoot().resolve("self/ns/" + name)))) {
                    continue;
                }
            } catch (IOException e) {
                throw new JruncException("cannot read " + theirs + ": " + IoErrors.reason(e), e);
            }
            out.put(ns.type(), "/proc/" + pid + "/ns/" + name);
        }
        return out;
    }

    private static int track(List<Integer> fds, int fd) {
        fds.add(fd);
        return fd;
    }

    private void kill(int pid) {
        if (pid > 0) {
            try {
                sys.kill(pid, Signals.SIGKILL);
            } catch (ErrnoException e) {
                // already gone
            }
            reap(pid);
        }
    }

    private void reap(int pid) {
        Reaper.reap(sys, pid);
    }
}
