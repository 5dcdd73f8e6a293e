package dev.jrunc.plan;

import static dev.jrunc.plan.MountOptions.MS_BIND;
import static dev.jrunc.plan.MountOptions.MS_PRIVATE;
import static dev.jrunc.plan.MountOptions.MS_RDONLY;
import static dev.jrunc.plan.MountOptions.MS_REC;
import static dev.jrunc.plan.MountOptions.MS_REMOUNT;
import static dev.jrunc.plan.MountOptions.MS_SHARED;
import static dev.jrunc.plan.MountOptions.MS_SLAVE;
import static dev.jrunc.plan.MountOptions.MS_UNBINDABLE;

import dev.jrunc.spec.Capability;
import dev.jrunc.spec.model.Capabilities;
import dev.jrunc.spec.model.ConsoleSize;
import dev.jrunc.spec.model.CpuAffinity;
import dev.jrunc.spec.model.Device;
import dev.jrunc.Version;
import dev.jrunc.spec.model.Hook;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.state.HookState;
import dev.jrunc.state.model.Status;
import dev.jrunc.spec.model.Linux;
import dev.jrunc.spec.model.Mount;
import dev.jrunc.spec.model.Namespace;
import dev.jrunc.spec.model.Process;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.spec.model.User;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a config into the init plan: a pure function of the {@link Spec} and the
 * {@link HostFacts}. All decisions (order, flags, defaults, runc's special cases) are made here;
 * the init only executes. The order follows runc's init:
 *
 * <ol>
 *   <li>original process: join namespaces by path (user first, mount last), unshare a new time
 *       namespace, clone into the new namespaces (it reports the child's pid and exits);</li>
 *   <li>child: wait for "continue" (maps and cgroup done), become root of a new user namespace,
 *       unshare a new cgroup namespace (rooted at the container's cgroup), hostname, domainname;</li>
 *   <li>rootfs: / rslave (or rootfsPropagation), parent mount private, rootfs bound onto itself,
 *       each mount in order, devices, /dev symlinks, a stop for the prestart and createRuntime
 *       hooks, createContainer hooks, pivot_root (or MS_MOVE + chroot), root propagation, the
 *       console (process.terminal), /dev and root read-only, sysctl, read-only paths, masked
 *       paths;</li>
 *   <li>process: rlimits, no_new_privs, AppArmor profile, SELinux label, seccomp (without
 *       no_new_privs: it needs CAP_SYS_ADMIN), bounding set, user and groups, capabilities,
 *       ambient, umask, cwd, args[0] lookup, seccomp (with no_new_privs: as late as runc does),
 *       "ready", exec fifo (startContainer hooks), close fds, execve.</li>
 * </ol>
 */
public final class PlanCompiler {
    static final long CLONE_NEWTIME = 0x80, CLONE_NEWNS = 0x20000, CLONE_NEWCGROUP = 0x02000000,
            CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
            CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    /** Namespace kinds in the order they are joined: user first (it grants the right to join the rest), mount last. */
    private static final Map<String, Long> NAMESPACES = orderedMap(
            "user", CLONE_NEWUSER, "ipc", CLONE_NEWIPC, "uts", CLONE_NEWUTS, "network", CLONE_NEWNET,
            "pid", CLONE_NEWPID, "cgroup", CLONE_NEWCGROUP, "time", CLONE_NEWTIME, "mount", CLONE_NEWNS);

    /** Every CPU runc's reset names (configs.MaxCPU); the kernel keeps those the cpuset allows. */
    static final String ALL_CPUS = "0-8191";

    /** sched_setattr(2) policies and flags, as runc maps them. */
    private static final Map<String, Long> SCHED_POLICIES = orderedMap(
            "SCHED_OTHER", 0L, "SCHED_FIFO", 1L, "SCHED_RR", 2L, "SCHED_BATCH", 3L, "SCHED_ISO", 4L,
            "SCHED_IDLE", 5L, "SCHED_DEADLINE", 6L);
    private static final Map<String, Long> SCHED_FLAGS = orderedMap(
            "SCHED_FLAG_RESET_ON_FORK", 0x01L, "SCHED_FLAG_RECLAIM", 0x02L, "SCHED_FLAG_DL_OVERRUN", 0x04L,
            "SCHED_FLAG_KEEP_POLICY", 0x08L, "SCHED_FLAG_KEEP_PARAMS", 0x10L, "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20L,
            "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40L);
    private static final Map<String, Long> IOPRIO_CLASSES = orderedMap(
            "IOPRIO_CLASS_RT", 1L, "IOPRIO_CLASS_BE", 2L, "IOPRIO_CLASS_IDLE", 3L);
    /** personality(2) execution domains runc knows (PER_LINUX, PER_LINUX32). */
    private static final Map<String, Long> PERSONALITY_DOMAINS = orderedMap("LINUX", 0x0000L, "LINUX32", 0x0008L);

    private static final List<String> RLIMITS = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    static final long S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    /** runc's default devices: {path, major, minor}, all character devices, mode 0666, owned by root. */
    private static final long[][] DEFAULT_DEVICES = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}};
    private static final String[] DEFAULT_DEVICE_PATHS = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"};

    private PlanCompiler() {}

    /** A plan for a config without createContainer/startContainer hooks (their state needs the container's id). */
    public static List<Op> compile(Spec spec, HostFacts host) throws PlanException {
        return compile(spec, host, Security.NONE, null);
    }

    /** With the host's security modules and the seccomp compiler ({@link Security#probe}). */
    public static List<Op> compile(Spec spec, HostFacts host, Security security) throws PlanException {
        return compile(spec, host, security, null);
    }

    /** The plan of container {@code containerId} (named in the state the in-container hooks read). */
    public static List<Op> compile(Spec spec, HostFacts host, String containerId) throws PlanException {
        return compile(spec, host, Security.NONE, containerId);
    }

    /** The plan of container {@code containerId} with the host's security modules and seccomp compiler. */
    public static List<Op> compile(Spec spec, HostFacts host, Security security, String containerId) throws PlanException {
        Process process = spec.process();
        if (process == null) {
            throw new PlanException("process: missing");
        }
        Linux linux = spec.linux() != null ? spec.linux() : new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        refuseUnsupported(spec, process, linux, security);
        // Checked (and compiled) before any side effect: a bad filter fails create at once.
        SeccompCompiler.Compiled seccomp = SeccompCompiler.compile(linux.seccomp(), security.seccomp());
        List<Op> ops = new ArrayList<>();
        if (process.oomScoreAdj() != null) {
            // runc (nsexec) writes it first, before joining any namespace: a value below the
            // current minimum needs CAP_SYS_RESOURCE in the initial user namespace. Absent: the
            // container inherits the caller's value, which the runtime must not change.
            ops.add(new Op.OomScoreAdj(process.oomScoreAdj()));
        }

        // Idmapped mounts are made first, on the host (as runc makes them), before any namespace is joined.
        Map<Integer, Op.IdmapMount> idmapped = idmappedMounts(spec, host);
        ops.addAll(idmapped.values());

        // Namespaces: joined ones first, then one clone into all the new ones.
        Map<String, String> joined = new LinkedHashMap<>();
        long newFlags = 0;
        for (Namespace ns : linux.namespaces() == null ? List.<Namespace>of() : linux.namespaces()) {
            Long flag = NAMESPACES.get(ns.type());
            if (flag == null) {
                throw new PlanException("linux.namespaces: unknown type \"" + ns.type() + "\"");
            }
            if (ns.path() != null && !ns.path().isEmpty()) {
                joined.put(ns.type(), ns.path());
            } else {
                newFlags |= flag;
            }
        }
        for (Map.Entry<String, Long> kind : NAMESPACES.entrySet()) {
            String path = joined.get(kind.getKey());
            if (path != null) {
                ops.add(new Op.JoinNamespace(path, kind.getValue()));
            }
        }
        if (linux.timeOffsets() != null && (newFlags & CLONE_NEWTIME) == 0) {
            throw new PlanException(joined.containsKey("time")
                    ? "time namespace enabled, but both namespace path and time offsets specified -- you may only provide one"
                    : "time namespace offsets specified, but time namespace isn't enabled in the config");
        }
        if ((newFlags & CLONE_NEWTIME) != 0) {
            // The time namespace applies to children: unshare it here, set its offsets while no
            // process is in it yet (the kernel refuses them after), the clone below enters it.
            ops.add(new Op.Unshare(CLONE_NEWTIME));
            List<String> offsets = timeOffsets(linux);
            if (!offsets.isEmpty()) {
                ops.add(new Op.TimensOffsets(offsets));
            }
        }
        List<String> bindSources = bindSourcesToOpen(spec, host, newFlags, idmapped.keySet());
        if (!bindSources.isEmpty()) {
            ops.add(new Op.BindSources(bindSources));
        }
        ops.add(new Op.Clone(newFlags & ~(CLONE_NEWTIME | CLONE_NEWCGROUP)));
        ops.add(new Op.SyncWait());
        // Now in the container's cgroup: forget the caller's CPU affinity (taskset), keep every
        // CPU the cgroup's cpuset allows (runc 1.2.7, 1.3.1). execCPUAffinity is for exec'd
        // processes only: "not applicable to the container's init process" (runtime-spec).
        ops.add(new Op.CpuAffinity(ALL_CPUS));
        if ((newFlags & CLONE_NEWUSER) != 0) {
            ops.add(new Op.SetUser(0, 0, List.of(), false));
        }
        if ((newFlags & CLONE_NEWCGROUP) != 0) {
            // As runc: only now is the child in the container's cgroup (jrunc moved it before
            // "continue"), so the new cgroup namespace is rooted there, not at the caller's cgroup.
            ops.add(new Op.Unshare(CLONE_NEWCGROUP));
        }

        // runc: a UTS namespace of the config, new or joined by path (then the name is set in the
        // joined one, as runc does); only the host's own is refused
        boolean newUts = (newFlags & CLONE_NEWUTS) != 0 || joined.containsKey("uts");
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            if (!newUts) {
                throw new PlanException("hostname: unable to set the hostname without a private UTS namespace");
            }
            ops.add(new Op.SetHostname(spec.hostname()));
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            if (!newUts) {
                throw new PlanException("domainname: unable to set the domainname without a private UTS namespace");
            }
            ops.add(new Op.SetDomainname(spec.domainname()));
        }

        if ((newFlags & CLONE_NEWNS) == 0) {
            throw new PlanException("linux.namespaces: a new mount namespace is required");
        }
        Hooks hooks = spec.hooks();
        List<Op> createContainer = initHooks(hooks == null ? null : hooks.createContainer(), "createContainer", Status.CREATING,
                spec, host, containerId);
        List<Op> startContainer = initHooks(hooks == null ? null : hooks.startContainer(), "startContainer", Status.CREATED,
                spec, host, containerId);
        rootfs(spec, linux, host, process, newFlags, createContainer, idmapped, ops);
        process(process, linux, host, security, seccomp, startContainer, null, ops);
        return List.copyOf(ops);
    }

    /** The kinds of namespace a container can have, in the order an exec joins them (user first, mount last). */
    public static List<String> namespaceKinds() {
        return List.copyOf(NAMESPACES.keySet());
    }

    /**
     * The plan of a process {@code exec}'d into a running container (runc's setnsProcess):
     * {@code spec} is the container's config with {@code process} replaced by the exec'd one;
     * {@code namespacePaths} maps a namespace kind ("user", "ipc", ..., "mount") to the path the
     * process joins (the container init's {@code /proc/PID/ns/*}); the caller leaves out those
     * the caller already shares (setns into one's own user namespace fails). Joined in
     * {@link #namespaceKinds()} order, then a clone with no new namespace (so the child is in
     * the container's pid namespace), "continue" (the parent put it into the container's
     * cgroup), execCPUAffinity.initial (else every CPU), then the process part of
     * {@link #compile} without mounts, hooks or exec fifo, execCPUAffinity.final right before
     * execve. No exec fifo: the process runs at once.
     */
    public static List<Op> compileExec(Spec spec, HostFacts host, Security security, Map<String, String> namespacePaths)
            throws PlanException {
        Process process = spec.process();
        if (process == null) {
            throw new PlanException("process: missing");
        }
        Linux linux = spec.linux() != null ? spec.linux() : new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        refuseUnsupported(spec, process, linux, security);
        SeccompCompiler.Compiled seccomp = SeccompCompiler.compile(linux.seccomp(), security.seccomp());
        List<Op> ops = new ArrayList<>();
        if (process.oomScoreAdj() != null) {
            ops.add(new Op.OomScoreAdj(process.oomScoreAdj()));
        }
        for (Map.Entry<String, Long> kind : NAMESPACES.entrySet()) {
            String path = namespacePaths.get(kind.getKey());
            if (path != null) {
                ops.add(new Op.JoinNamespace(path, kind.getValue()));
            }
        }
        for (String kind : namespacePaths.keySet()) {
            if (!NAMESPACES.containsKey(kind)) {
                throw new PlanException("linux.namespaces: unknown type \"" + kind + "\"");
            }
        }
        ops.add(new Op.Clone(0));
        ops.add(new Op.SyncWait());
        CpuAffinity affinity = process.execCPUAffinity();
        String initial = affinity == null || affinity.initial() == null || affinity.initial().isEmpty() ? ALL_CPUS : affinity.initial();
        ops.add(new Op.CpuAffinity(initial));
        if (Boolean.TRUE.equals(process.terminal())) {
            // runc's setns init sets the console up first; /dev/console stays the init's
            ConsoleSize size = process.consoleSize();
            User user = process.user();
            ops.add(new Op.ExecConsole(size == null ? 0 : nz(size.height()), size == null ? 0 : nz(size.width()),
                    user == null ? 0 : nz(user.uid())));
        }
        process(process, linux, host, security, seccomp, List.of(), affinity, ops);
        return List.copyOf(ops);
    }

    private static void rootfs(Spec spec, Linux linux, HostFacts host, Process process, long newFlags, List<Op> createContainer,
                               Map<Integer, Op.IdmapMount> idmapped,
                               List<Op> ops) throws PlanException {
        String rootfs = host.rootfs().toString();
        Long rootPropagation = rootPropagation(linux.rootfsPropagation());
        ops.add(new Op.MountPropagation("/", rootPropagation != null ? rootPropagation : MS_SLAVE | MS_REC));
        ops.add(new Op.ParentMountPrivate(rootfs));
        ops.add(new Op.RootfsBind(rootfs));

        boolean setupDev = true;
        boolean devReadonly = false;
        List<Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            String where = "mounts[" + i + "]";
            if (m.destination() == null || m.destination().isEmpty()) {
                throw new PlanException(where + ".destination: missing");
            }
            String dest = cleanPath(m.destination());
            String type = m.type() == null ? "" : m.type();
            MountOptions o = MountOptions.parse(m.options(), where);
            boolean bind = type.equals("bind") || (o.flags & MS_BIND) != 0;
            if (o.copyUp && (bind || !type.equals("tmpfs"))) {
                throw new PlanException(where + ": mount option \"tmpcopyup\" needs a tmpfs mount");
            }
            if (dest.equals("/dev") && bind) {
                setupDev = false;
            }
            ProcMountRule.check(m.source(), m.destination(), dest, type, bind, rootfs);
            if (idmapped.containsKey(i)) {
                ops.add(idmapped.get(i).attach());
                continue;
            }
            if (bind) {
                String source = bindSource(m, host);
                long rest = o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
                long remount = rest != 0 ? MS_BIND | MS_REMOUNT | rest : 0;
                ops.add(new Op.Mount(source, dest, "", MS_BIND | (o.flags & MS_REC), o.propagation, "", Op.Kind.LIKE_SOURCE, remount, o.attrSet, o.attrClr));
            } else if (type.equals("cgroup")) {
                cgroupMounts(m, dest, o, host, (newFlags & CLONE_NEWCGROUP) != 0, ops);
            } else {
                long flags = o.flags;
                if (dest.equals("/dev") && (flags & MS_RDONLY) != 0) {
                    // runc: /dev stays writable until the devices exist, then is remounted read-only.
                    flags &= ~MS_RDONLY;
                    devReadonly = true;
                }
                long remount = 0;
                if (o.copyUp && (flags & MS_RDONLY) != 0) {
                    // the copy needs a writable tmpfs: read-only afterwards, by a bind remount
                    flags &= ~MS_RDONLY;
                    remount = MS_BIND | MS_REMOUNT | (o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT));
                }
                ops.add(new Op.Mount(m.source() == null ? "" : m.source(), dest, type, flags, o.propagation,
                        String.join(",", o.data), o.copyUp ? Op.Kind.DIR_COPYUP : Op.Kind.DIR, remount, o.attrSet, o.attrClr));
            }
        }

        if (setupDev) {
            devices(linux, ops);
            ops.add(new Op.Symlink("pts/ptmx", "/dev/ptmx", true));
            ops.add(new Op.Symlink("/proc/self/fd", "/dev/fd", false));
            ops.add(new Op.Symlink("/proc/self/fd/0", "/dev/stdin", false));
            ops.add(new Op.Symlink("/proc/self/fd/1", "/dev/stdout", false));
            ops.add(new Op.Symlink("/proc/self/fd/2", "/dev/stderr", false));
            ops.add(new Op.Symlink("/proc/kcore", "/dev/core", false));
        } else if (linux.devices() != null) {
            devices(linux, ops);
        }

        if (syncsForHostHooks(spec)) {
            // runc: prestart and createRuntime hooks run once the mounts are in place
            ops.add(new Op.SyncHooks());
        }
        if (!createContainer.isEmpty()) {
            // runc: createContainer hooks run in the rootfs directory, before pivot_root
            ops.add(new Op.Chdir(host.rootfs().toString()));
            ops.addAll(createContainer);
        }
        ops.add(host.noPivot() ? new Op.MoveRoot() : new Op.PivotRoot());
        if (rootPropagation != null) {
            ops.add(new Op.MountPropagation("/", rootPropagation));
        }
        if (Boolean.TRUE.equals(process.terminal())) {
            // runc's setupConsole: after the mounts and pivot_root, before /dev may turn read-only
            ConsoleSize size = process.consoleSize();
            User user = process.user();
            ops.add(new Op.Console(size == null ? 0 : nz(size.height()), size == null ? 0 : nz(size.width()),
                    user == null ? 0 : nz(user.uid())));
        }
        if (devReadonly) {
            ops.add(new Op.ReadonlyPath("/dev", false));
        }
        if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
            ops.add(new Op.ReadonlyPath("/", false));
        }
        if (linux.sysctl() != null) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(linux.sysctl()).entrySet()) {
                String key = e.getKey();
                if (key.isEmpty() || key.contains("/") && key.contains(".") || key.contains("..")) {
                    throw new PlanException("linux.sysctl: invalid key \"" + key + "\"");
                }
                ops.add(new Op.Sysctl(key.replace('.', '/'), e.getValue()));
            }
        }
        for (String p : linux.readonlyPaths() == null ? List.<String>of() : linux.readonlyPaths()) {
            ops.add(new Op.ReadonlyPath(cleanPath(p), true));
        }
        for (String p : linux.maskedPaths() == null ? List.<String>of() : linux.maskedPaths()) {
            ops.add(new Op.MaskPath(cleanPath(p)));
        }
    }

    /**
     * A "cgroup" mount. In a new cgroup namespace: on a cgroup v2 host cgroup2 itself; on a v1 or
     * hybrid host a tmpfs holding one mount per hierarchy, the co-mount symlinks (cpu ->
     * cpu,cpuacct), then the tmpfs remounted read-only when asked. Without a cgroup namespace (as
     * runc) the container's own cgroup directory of each hierarchy is bound instead, with the
     * mount's flags (read-only, nosuid...): never the host's whole tree. On a hybrid host the
     * cgroup2 hierarchy is left out then, as runc does, and so is a hierarchy whose directory
     * the caller could not name (a rootless caller outside the hierarchy's mounted root).
     */
    private static void cgroupMounts(Mount m, String dest, MountOptions o, HostFacts host, boolean cgroupns, List<Op> ops)
            throws PlanException {
        long flags = o.flags;
        boolean ro = (flags & MS_RDONLY) != 0;
        List<HostFacts.CgroupMount> hier = host.cgroupMounts();
        if (!cgroupns) {
            long rest = flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
            long remount = rest != 0 ? MS_BIND | MS_REMOUNT | rest : 0;
            if (hier.size() == 1 && hier.getFirst().name().isEmpty()) {
                if (!hier.getFirst().containerDir().isEmpty()) {
                    ops.add(new Op.Mount(hier.getFirst().containerDir(), dest, "", MS_BIND, o.propagation, "", Op.Kind.DIR,
                            remount, o.attrSet, o.attrClr));
                }
                return;
            }
            ops.add(new Op.Mount("tmpfs", dest, "tmpfs", rest & ~MS_RDONLY, o.propagation, "mode=755", Op.Kind.DIR, 0, 0, 0));
            for (HostFacts.CgroupMount h : hier) {
                if (h.name().isEmpty() || !h.fstype().equals("cgroup") || h.containerDir().isEmpty()) {
                    continue;
                }
                ops.add(new Op.Mount(h.containerDir(), dest + "/" + h.name(), "", MS_BIND, 0, "", Op.Kind.DIR,
                        remount, 0, 0));
                if (h.name().contains(",")) {
                    for (String part : h.name().split(",")) {
                        ops.add(new Op.Symlink(h.name(), dest + "/" + part, false));
                    }
                }
            }
            if (ro) {
                ops.add(new Op.ReadonlyPath(dest, false));
            }
            return;
        }
        if (hier.size() == 1 && hier.getFirst().name().isEmpty()) {
            // the source names the container's cgroup directory: what the init binds instead
            // when the kernel refuses cgroup2 (EPERM, EBUSY) in this user namespace (runc's fallback)
            String dir = hier.getFirst().containerDir();
            ops.add(new Op.Mount(dir.isEmpty() ? "cgroup" : dir, dest, "cgroup2", flags, o.propagation, "", Op.Kind.DIR, 0,
                    o.attrSet, o.attrClr));
            return;
        }
        ops.add(new Op.Mount("tmpfs", dest, "tmpfs", flags & ~MS_RDONLY, o.propagation, "mode=755", Op.Kind.DIR, 0, 0, 0));
        for (HostFacts.CgroupMount h : hier) {
            if (h.name().isEmpty()) {
                continue;
            }
            String target = dest + "/" + h.name();
            ops.add(new Op.Mount("cgroup", target, h.fstype(), flags, 0, h.data(), Op.Kind.DIR, 0, 0, 0));
            if (h.fstype().equals("cgroup") && h.name().contains(",")) {
                for (String part : h.name().split(",")) {
                    ops.add(new Op.Symlink(h.name(), dest + "/" + part, false));
                }
            }
        }
        if (ro) {
            ops.add(new Op.ReadonlyPath(dest, false));
        }
    }

    private static void devices(Linux linux, List<Op> ops) throws PlanException {
        Map<String, Op.Mknod> byPath = new LinkedHashMap<>();
        for (int i = 0; i < DEFAULT_DEVICE_PATHS.length; i++) {
            String p = DEFAULT_DEVICE_PATHS[i];
            byPath.put(p, new Op.Mknod(p, S_IFCHR | 0666, DEFAULT_DEVICES[i][0], DEFAULT_DEVICES[i][1], 0, 0, p));
        }
        List<Device> devices = linux.devices() == null ? List.of() : linux.devices();
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            String where = "linux.devices[" + i + "]";
            if (d.path() == null || d.path().isEmpty()) {
                throw new PlanException(where + ".path: missing");
            }
            long type = switch (d.type() == null ? "" : d.type()) {
                case "c", "u" -> S_IFCHR;
                case "b" -> S_IFBLK;
                case "p" -> S_IFIFO;
                default -> throw new PlanException(where + ".type: \"" + d.type() + "\" is not one of c, u, b, p");
            };
            long perm = d.fileMode() == null ? 0666 : d.fileMode() & 07777;
            String path = cleanPath(d.path());
            byPath.remove(path);
            byPath.put(path, new Op.Mknod(path, type | perm, nz(d.major()), nz(d.minor()), nz(d.uid()), nz(d.gid()), d.path()));
        }
        ops.addAll(byPath.values());
    }

    private static void process(Process process, Linux linux, HostFacts host, Security security,
            SeccompCompiler.Compiled seccomp, List<Op> startContainer, CpuAffinity execAffinity, List<Op> ops) throws PlanException {
        List<String> args = process.args();
        if (args == null || args.isEmpty()) {
            throw new PlanException("process.args: must not be empty");
        }
        if (process.rlimits() != null) {
            for (var r : process.rlimits()) {
                int resource = RLIMITS.indexOf(r.type());
                if (resource < 0) {
                    throw new PlanException("process.rlimits: unknown type \"" + r.type() + "\"");
                }
                ops.add(new Op.Rlimit(r.type(), resource, nz(r.soft()), nz(r.hard())));
            }
        }
        boolean noNewPrivs = Boolean.TRUE.equals(process.noNewPrivileges());
        if (noNewPrivs) {
            ops.add(new Op.NoNewPrivs());
        }
        // runc's place: after no_new_privs, still root with every capability.
        if (process.scheduler() != null) {
            ops.add(scheduler(process.scheduler()));
        }
        if (process.ioPriority() != null) {
            ops.add(ioPriority(process.ioPriority()));
        }
        // LSM labels take effect at execve; written while /proc and every syscall are at hand.
        if (notEmpty(process.apparmorProfile())) {
            if (!security.apparmor()) {
                throw new PlanException("apparmor: config provided but apparmor not supported");
            }
            ops.add(new Op.Apparmor(process.apparmorProfile()));
        }
        if (notEmpty(process.selinuxLabel())) {
            if (!security.selinux()) {
                throw new PlanException("selinux label is specified in config, but selinux is disabled or not supported");
            }
            ops.add(new Op.SelinuxLabel(process.selinuxLabel()));
        }
        // runc: without no_new_privs loading a filter needs CAP_SYS_ADMIN, so before the
        // capabilities are dropped; with it, as late as possible (below).
        if (seccomp != null && !noNewPrivs) {
            ops.add(new Op.Seccomp(seccomp.flags(), seccomp.listener(), seccomp.program()));
        }
        Capabilities caps = process.capabilities();
        long bounding = caps == null ? 0 : mask(caps.bounding(), "bounding");
        long effective = caps == null ? 0 : mask(caps.effective(), "effective");
        long permitted = caps == null ? 0 : mask(caps.permitted(), "permitted");
        long inheritable = caps == null ? 0 : mask(caps.inheritable(), "inheritable");
        long ambient = caps == null ? 0 : mask(caps.ambient(), "ambient");
        User user = process.user();
        long uid = user == null ? 0 : nz(user.uid());
        List<String> env = process.env() == null ? null : process.env();
        if (env != null && env.stream().noneMatch(e -> e.startsWith("HOME=") && e.length() > 5)) {
            // runc: no non-empty HOME in the env: the user's home from the container's
            // /etc/passwd, else "/", appended; an empty HOME is dropped. Read as root, before
            // the user changes (runc's finalizeNamespace); no HOME when process.env is absent.
            env = env.stream().filter(e -> !e.equals("HOME=")).toList();
            ops.add(new Op.DefaultHome(uid));
        }
        // runc's finalizeNamespace: chdir while still root, and again right after the user
        // changed when that was refused (a cwd only the container's user can enter)
        String cwd = process.cwd() == null || process.cwd().isEmpty() ? "/" : process.cwd();
        ops.add(new Op.Chdir(cwd, Op.Chdir.EARLY));
        ops.add(new Op.CapBounding(bounding));
        long gid = user == null ? 0 : nz(user.gid());
        List<Long> groups = user == null || user.additionalGids() == null ? List.of() : user.additionalGids();
        ops.add(new Op.SetUser(uid, gid, groups, host.setgroupsAllowed()));
        ops.add(new Op.Chdir(cwd, Op.Chdir.LATE));
        ops.add(new Op.Caps(effective, permitted, inheritable));
        // The kernel raises an ambient capability only when it is permitted and inheritable; runc
        // does not fail on the others (its default config lists ambient without inheritable).
        long raisable = ambient & permitted & inheritable;
        if (raisable != 0) {
            ops.add(new Op.CapAmbient(raisable));
        }
        ops.add(new Op.Umask(user == null || user.umask() == null ? 0022 : user.umask()));
        if (env == null) {
            env = List.of();
        }
        String path = "";
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                path = e.substring(5);
            }
        }
        ops.add(new Op.LookupExec(args.getFirst(), path));
        if (linux.personality() != null) {
            // runc's place: after the lookup, so errors still reach create; flags are ignored
            // by runc (with a warning, which ContainerCreator prints too).
            Long persona = PERSONALITY_DOMAINS.get(linux.personality().domain());
            if (persona == null) {
                throw new PlanException("invalid personality domain " + linux.personality().domain());
            }
            ops.add(new Op.Personality(persona));
        }
        // runc: after the args[0] lookup, before the parent lets go (it gets the listener fd)
        if (seccomp != null && noNewPrivs) {
            ops.add(new Op.Seccomp(seccomp.flags(), seccomp.listener(), seccomp.program()));
        }
        ops.add(new Op.SyncReady());
        // runc: startContainer hooks run once start has opened the exec fifo; jrunc writes the
        // fifo's byte after them, so that start can report their failure.
        if (startContainer.isEmpty()) {
            if (host.execFifoFd() >= 0) {
                ops.add(new Op.WaitFifo(host.execFifoFd(), Op.WaitFifo.RELEASE));
            }
        } else if (host.execFifoFd() >= 0) {
            ops.add(new Op.WaitFifo(host.execFifoFd(), Op.WaitFifo.HOLD));
            ops.addAll(startContainer);
            ops.add(new Op.WaitFifo(host.execFifoFd(), Op.WaitFifo.RELEASE_HELD));
        } else {
            ops.addAll(startContainer);
        }
        ops.add(new Op.CloseFds(3 + host.preserveFds()));
        if (execAffinity != null && execAffinity.finalAffinity() != null && !execAffinity.finalAffinity().isEmpty()) {
            // runc 1.3: an exec'd process's final CPU affinity, set right before execve
            ops.add(new Op.CpuAffinity(execAffinity.finalAffinity()));
        }
        ops.add(new Op.Exec(args, env));
    }

    /**
     * The idmapped mounts (mounts with uidMappings/gidMappings), by their index in mounts, as
     * prepare ops (emitted before clone); their attach op takes the mount's place. Bind mounts
     * only; the flags ro, nosuid, nodev, noexec and the recursive set options become mount
     * attributes.
     */
    private static Map<Integer, Op.IdmapMount> idmappedMounts(Spec spec, HostFacts host) throws PlanException {
        Map<Integer, Op.IdmapMount> out = new LinkedHashMap<>();
        List<Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            if (m.uidMappings() == null && m.gidMappings() == null) {
                continue;
            }
            String where = "mounts[" + i + "]";
            if (m.uidMappings() == null || m.uidMappings().isEmpty() || m.gidMappings() == null || m.gidMappings().isEmpty()) {
                throw new PlanException(where + ": an idmapped mount needs both uidMappings and gidMappings");
            }
            if (m.destination() == null || m.destination().isEmpty()) {
                throw new PlanException(where + ".destination: missing");
            }
            MountOptions o = MountOptions.parse(m.options(), where);
            String type = m.type() == null ? "" : m.type();
            if (!type.equals("bind") && (o.flags & MS_BIND) == 0) {
                throw new PlanException(where + ": idmapped mounts are supported for bind mounts only");
            }
            long other = o.flags & ~(MS_BIND | MS_REC | MS_RDONLY | MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC);
            if (other != 0 || o.attrClr != 0 || o.copyUp || !o.data.isEmpty()) {
                throw new PlanException(where + ": idmapped mounts take only the options bind, rbind, ro, nosuid, nodev, noexec,"
                        + " the recursive r* ones that set a flag and a propagation (not supported yet: the others)");
            }
            String source = bindSource(m, host);
            long attrs = o.attrSet | (o.flags & (MS_RDONLY | MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC));
            out.put(i, new Op.IdmapMount(Op.IdmapMount.PREPARE, out.size(), source, cleanPath(m.destination()),
                    mapText(m.uidMappings()), mapText(m.gidMappings()), (o.flags & MS_REC) != 0, attrs, o.propagation));
        }
        return out;
    }

    /** A bind mount's source on the host: relative ones are relative to the bundle. */
    private static String bindSource(Mount m, HostFacts host) {
        String source = m.source() == null ? "" : m.source();
        return source.startsWith("/") ? source : host.bundle().resolve(source).normalize().toString();
    }

    /**
     * The bind sources the original process opens for the child (bind_sources), as runc 1.1
     * does: only with a new user namespace and a new mount namespace (where the container's root
     * may not reach a source the runtime can), and only for a privileged runtime (euid 0, which
     * may enter the child's mount namespace; a rootless caller maps itself and reaches its own
     * sources). Idmapped mounts have their own fd; each source once.
     */
    private static List<String> bindSourcesToOpen(Spec spec, HostFacts host, long newFlags, java.util.Set<Integer> idmapped)
            throws PlanException {
        long both = CLONE_NEWUSER | CLONE_NEWNS;
        if ((newFlags & both) != both || !host.privileged() || spec.mounts() == null) {
            return List.of();
        }
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount m = spec.mounts().get(i);
            if (idmapped.contains(i)) {
                continue;
            }
            String type = m.type() == null ? "" : m.type();
            if (type.equals("bind") || (MountOptions.parse(m.options(), "mounts[" + i + "]").flags & MS_BIND) != 0) {
                out.add(bindSource(m, host));
            }
        }
        return List.copyOf(out);
    }

    private static String mapText(List<dev.jrunc.spec.model.IdMapping> mappings) {
        StringBuilder text = new StringBuilder();
        for (dev.jrunc.spec.model.IdMapping m : mappings) {
            text.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return text.toString();
    }

    /**
     * Whether the plan stops (sync_hooks) after the mounts for the parent to run the prestart and
     * createRuntime hooks: only when there are some, so the parent knows what to expect.
     */
    public static boolean syncsForHostHooks(Spec spec) {
        Hooks h = spec.hooks();
        return h != null && (notEmpty(h.prestart()) || notEmpty(h.createRuntime()));
    }

    /**
     * The createContainer or startContainer hooks as init ops (none: an empty list, and nothing
     * of the hook state code is loaded). As in runc: {@code args} absent means argv {@code
     * [path]}; {@code env} absent means the environment runc's init has then, the process's
     * {@code env}. The state is the one the hooks read, split around the pid the init fills in.
     */
    private static List<Op> initHooks(List<Hook> list, String kind, Status status, Spec spec, HostFacts host, String id)
            throws PlanException {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        if (id == null) {
            throw new PlanException("hooks." + kind + ": the container id is needed for the hook state");
        }
        List<String> processEnv = spec.process().env() == null ? List.of() : spec.process().env();
        String[] state = HookState.aroundPid(Version.OCI_SPEC, id, status, host.bundle().toString(), spec.annotations());
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Hook h = list.get(i);
            if (h.path() == null || !h.path().startsWith("/")) {
                throw new PlanException("hooks." + kind + "[" + i + "].path: must be an absolute path");
            }
            List<String> argv = notEmpty(h.args()) ? h.args() : List.of(h.path());
            List<String> env = h.env() != null ? h.env() : processEnv;
            ops.add(new Op.Hook(h.path(), argv, env, h.timeout() == null ? 0 : h.timeout(), state[0], state[1], i));
        }
        return ops;
    }

    /** Everything the init cannot do yet is refused here, never silently left out. */
    private static void refuseUnsupported(Spec spec, Process process, Linux linux, Security security) throws PlanException {
        List<String> missing = new ArrayList<>();
        // Without SELinux a mount label has nothing to label (ignored); with it, the context=
        // mount option is not done yet.
        if (security.selinux() && linux.mountLabel() != null && !linux.mountLabel().isEmpty()) {
            missing.add("linux.mountLabel");
        }
        if (!missing.isEmpty()) {
            throw new PlanException("not supported yet: " + String.join(", ", missing));
        }
    }

    /** "monotonic S N", "boottime S N" for the clocks present: the kernel's format. */
    private static List<String> timeOffsets(Linux linux) throws PlanException {
        List<String> lines = new ArrayList<>();
        if (linux.timeOffsets() == null) {
            return lines;
        }
        for (Map.Entry<String, dev.jrunc.spec.model.TimeOffset> e : new java.util.TreeMap<>(linux.timeOffsets()).descendingMap().entrySet()) {
            String clock = e.getKey();
            if (!clock.equals("monotonic") && !clock.equals("boottime")) {
                throw new PlanException("linux.timeOffsets: unknown clock \"" + clock + "\"");
            }
            long secs = nz(e.getValue().secs());
            long nanos = nz(e.getValue().nanosecs());
            lines.add(clock + " " + secs + " " + Long.toUnsignedString(nanos));
        }
        return lines;
    }

    private static Op.Scheduler scheduler(dev.jrunc.spec.model.Scheduler s) throws PlanException {
        Long policy = SCHED_POLICIES.get(s.policy());
        if (policy == null) {
            throw new PlanException("unknown policy: " + s.policy());
        }
        long flags = 0;
        for (String flag : s.flags() == null ? List.<String>of() : s.flags()) {
            Long bit = SCHED_FLAGS.get(flag);
            if (bit == null) {
                throw new PlanException("unknown flag: " + flag);
            }
            flags |= bit;
        }
        return new Op.Scheduler(policy, flags, s.nice() == null ? 0 : s.nice(), s.priority() == null ? 0 : s.priority(),
                nz(s.runtime()), nz(s.deadline()), nz(s.period()));
    }

    private static Op.IoPriority ioPriority(dev.jrunc.spec.model.IoPriority p) throws PlanException {
        Long ioClass = IOPRIO_CLASSES.get(p.ioClass());
        if (ioClass == null) {
            throw new PlanException("invalid io priority class: " + p.ioClass());
        }
        int level = p.priority() == null ? 0 : p.priority();
        if (level < 0 || level > 7) {
            throw new PlanException("invalid ioPriority.Priority: " + level);
        }
        return new Op.IoPriority(ioClass << 13 | level);
    }

    private static Long rootPropagation(String value) throws PlanException {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value) {
            case "shared" -> MS_SHARED;
            case "rshared" -> MS_SHARED | MS_REC;
            case "slave" -> MS_SLAVE;
            case "rslave" -> MS_SLAVE | MS_REC;
            case "private" -> MS_PRIVATE;
            case "rprivate" -> MS_PRIVATE | MS_REC;
            case "unbindable" -> MS_UNBINDABLE;
            case "runbindable" -> MS_UNBINDABLE | MS_REC;
            default -> throw new PlanException("linux.rootfsPropagation: unknown value \"" + value + "\"");
        };
    }

    /** The set's known capabilities as a mask; unknown names are left out (see {@link #unknownCapabilities}). */
    private static long mask(List<String> names, String set) {
        long m = 0;
        for (String name : names == null ? List.<String>of() : names) {
            int n = Capability.number(name);
            if (n >= 0) {
                m |= 1L << n;
            }
        }
        return m;
    }

    /**
     * The capability names this runtime does not know, in every set, once each. runtime-spec:
     * they MUST be logged as a warning and SHOULD NOT fail the container (runc: "ignoring
     * unknown or unavailable capabilities").
     */
    public static List<String> unknownCapabilities(Capabilities caps) {
        java.util.Set<String> unknown = new java.util.TreeSet<>();
        if (caps != null) {
            for (List<String> set : java.util.Arrays.asList(caps.bounding(), caps.effective(), caps.permitted(), caps.inheritable(), caps.ambient())) {
                for (String name : set == null ? List.<String>of() : set) {
                    if (Capability.number(name) < 0) {
                        unknown.add(name);
                    }
                }
            }
        }
        return List.copyOf(unknown);
    }

    /**
     * A container path made absolute and clean, lexically: "." and empty parts dropped, ".."
     * removes the previous part and never climbs above /. The init then resolves it under the
     * root, where symlinks cannot leave it either.
     */
    static String cleanPath(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
            } else {
                parts.add(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    private static Map<String, Long> orderedMap(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Long) kv[i + 1]);
        }
        return m;
    }

    /** For error messages and tests: where a host path lies. */
    static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
