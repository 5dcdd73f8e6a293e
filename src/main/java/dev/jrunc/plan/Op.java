package dev.jrunc.plan;

import java.util.List;

/**
 * One operation of the init plan. Every record maps to one {@link OpCode} and writes its
 * arguments in the order of the opcode's signature. Container paths are absolute paths inside
 * the container (resolved by the init under the current root without escaping it); host paths
 * are absolute paths on the host. Flags are the kernel's numeric values.
 */
public sealed interface Op {

    OpCode code();

    /** Writes the arguments, in signature order. */
    void write(PlanWriter.Args args);

    /** clone3(flags | CLONE_PARENT). The original process reports "pid N" and exits; the child goes on. */
    record Clone(long flags) implements Op {
        public OpCode code() { return OpCode.CLONE; }
        public void write(PlanWriter.Args a) { a.i(flags); }
    }

    /** setns(open(path), nsType): the kernel checks the type. */
    record JoinNamespace(String path, long nsType) implements Op {
        public OpCode code() { return OpCode.JOIN_NS; }
        public void write(PlanWriter.Args a) { a.s(path).i(nsType); }
    }

    /** unshare(flags). */
    record Unshare(long flags) implements Op {
        public OpCode code() { return OpCode.UNSHARE; }
        public void write(PlanWriter.Args a) { a.i(flags); }
    }

    /** Waits for "continue" from the parent (uid/gid maps written, cgroup joined). */
    record SyncWait() implements Op {
        public OpCode code() { return OpCode.SYNC_WAIT; }
        public void write(PlanWriter.Args a) {}
    }

    /** Sends "ready" to the parent. */
    record SyncReady() implements Op {
        public OpCode code() { return OpCode.SYNC_READY; }
        public void write(PlanWriter.Args a) {}
    }

    /** Sends "hooks" and waits for "continue": the parent runs the prestart and createRuntime hooks meanwhile. */
    record SyncHooks() implements Op {
        public OpCode code() { return OpCode.SYNC_HOOKS; }
        public void write(PlanWriter.Args a) {}
    }

    record SetHostname(String name) implements Op {
        public OpCode code() { return OpCode.SETHOSTNAME; }
        public void write(PlanWriter.Args a) { a.s(name); }
    }

    record SetDomainname(String name) implements Op {
        public OpCode code() { return OpCode.SETDOMAINNAME; }
        public void write(PlanWriter.Args a) { a.s(name); }
    }

    /** mount(NULL, path, NULL, flags, NULL) on a path of the current mount namespace (not resolved in the root). */
    record MountPropagation(String path, long flags) implements Op {
        public OpCode code() { return OpCode.MOUNT_PROPAGATION; }
        public void write(PlanWriter.Args a) { a.s(path).i(flags); }
    }

    /** Makes private the mount that holds the host path (pivot_root refuses a shared parent). */
    record ParentMountPrivate(String hostPath) implements Op {
        public OpCode code() { return OpCode.PARENT_MOUNT_PRIVATE; }
        public void write(PlanWriter.Args a) { a.s(hostPath); }
    }

    /** Binds the rootfs (host path) onto itself, recursively, and makes it the root for path resolution. */
    record RootfsBind(String hostPath) implements Op {
        public OpCode code() { return OpCode.ROOTFS_BIND; }
        public void write(PlanWriter.Args a) { a.s(hostPath); }
    }

    /**
     * An idmapped bind mount, in two steps with the same arguments: {@link #PREPARE} (before
     * clone, in the host's user namespace) makes a detached copy of {@code source}
     * (recursive or not) with MOUNT_ATTR_IDMAP through a user namespace carrying the maps ("C H
     * S" lines) plus {@code attrSet}, kept in {@code slot}; {@link #ATTACH} moves it onto the
     * container path {@code target} and applies {@code propagation}.
     */
    record IdmapMount(int step, int slot, String source, String target, String uidMap, String gidMap, boolean recursive,
                      long attrSet, long propagation) implements Op {
        public static final int PREPARE = 0, ATTACH = 1;

        public OpCode code() { return OpCode.IDMAP_MOUNT; }
        public void write(PlanWriter.Args a) {
            a.i(step).i(slot).s(source).s(target).s(uidMap).s(gidMap).i(recursive ? 1 : 0).i(attrSet).i(propagation);
        }

        IdmapMount attach() {
            return new IdmapMount(ATTACH, slot, source, target, uidMap, gidMap, recursive, attrSet, propagation);
        }
    }

    /** Kinds of mount point the init creates when the target is missing. */
    enum Kind {
        DIR, FILE, LIKE_SOURCE,
        /** A directory whose content is copied into the new mount (tmpcopyup). */
        DIR_COPYUP;
    }

    /**
     * One mount: mount(source, target, fstype, flags, data) onto the verified target; then, when
     * non-zero, a bind remount with {@code remountFlags}, the propagation change, and
     * mount_setattr(AT_RECURSIVE) with {@code attrSet}/{@code attrClr}.
     */
    record Mount(String source, String target, String fstype, long flags, long propagation, String data,
                 Kind kind, long remountFlags, long attrSet, long attrClr) implements Op {
        public OpCode code() { return OpCode.MOUNT; }
        public void write(PlanWriter.Args a) {
            a.s(source).s(target).s(fstype).i(flags).i(propagation).s(data).i(kind.ordinal()).i(remountFlags).i(attrSet).i(attrClr);
        }
    }

    /** mknod(path, mode, makedev(major, minor)) then chown; on EPERM a bind of {@code hostPath} instead. */
    record Mknod(String path, long mode, long major, long minor, long uid, long gid, String hostPath) implements Op {
        public OpCode code() { return OpCode.MKNOD; }
        public void write(PlanWriter.Args a) { a.s(path).i(mode).i(major).i(minor).i(uid).i(gid).s(hostPath); }
    }

    /** symlink(target, link); an existing link path is kept, or replaced when {@code replace}. */
    record Symlink(String target, String link, boolean replace) implements Op {
        public OpCode code() { return OpCode.SYMLINK; }
        public void write(PlanWriter.Args a) { a.s(target).s(link).i(replace ? 1 : 0); }
    }

    record PivotRoot() implements Op {
        public OpCode code() { return OpCode.PIVOT_ROOT; }
        public void write(PlanWriter.Args a) {}
    }

    /** --no-pivot: MS_MOVE of the rootfs onto / and chroot. */
    record MoveRoot() implements Op {
        public OpCode code() { return OpCode.MOVE_ROOT; }
        public void write(PlanWriter.Args a) {}
    }

    /** A verified /dev/null bound on a file, a read-only tmpfs on a directory; a missing path is skipped. */
    record MaskPath(String path) implements Op {
        public OpCode code() { return OpCode.MASK_PATH; }
        public void write(PlanWriter.Args a) { a.s(path); }
    }

    /** Read-only remount; with {@code bindFirst} the path is bound onto itself first and a missing path is skipped. */
    record ReadonlyPath(String path, boolean bindFirst) implements Op {
        public OpCode code() { return OpCode.READONLY_PATH; }
        public void write(PlanWriter.Args a) { a.s(path).i(bindFirst ? 1 : 0); }
    }

    /** Writes value to /proc/sys/{@code path} (checked to be on procfs). */
    record Sysctl(String path, String value) implements Op {
        public OpCode code() { return OpCode.SYSCTL; }
        public void write(PlanWriter.Args a) { a.s(path).s(value); }
    }

    /**
     * Bind sources the original process opens (root in the host's user namespace, in the
     * child's mount namespace right after clone) and passes to the child, which binds from the
     * fds: in a new user namespace the container's root may not reach them (runc 1.1's mount fds).
     */
    record BindSources(List<String> sources) implements Op {
        public BindSources {
            sources = List.copyOf(sources);
        }
        public OpCode code() { return OpCode.BIND_SOURCES; }
        public void write(PlanWriter.Args a) { a.l(sources); }
    }

    record Rlimit(String name, int resource, long soft, long hard) implements Op {
        public OpCode code() { return OpCode.RLIMIT; }
        public void write(PlanWriter.Args a) { a.s(name).i(resource).i(soft).i(hard); }
    }

    record NoNewPrivs() implements Op {
        public OpCode code() { return OpCode.NO_NEW_PRIVS; }
        public void write(PlanWriter.Args a) {}
    }

    /** Drops from the bounding set every capability whose bit is clear in {@code keep}. */
    record CapBounding(long keep) implements Op {
        public OpCode code() { return OpCode.CAP_BOUNDING; }
        public void write(PlanWriter.Args a) { a.i(keep); }
    }

    /** setgroups (when {@code setGroups}), then setresgid, setresuid, with PR_SET_KEEPCAPS around them. */
    record SetUser(long uid, long gid, List<Long> groups, boolean setGroups) implements Op {
        public SetUser {
            groups = List.copyOf(groups);
        }

        public OpCode code() { return OpCode.SET_USER; }

        public void write(PlanWriter.Args a) {
            byte[] blob = new byte[groups.size() * 4];
            for (int i = 0; i < groups.size(); i++) {
                long g = groups.get(i);
                for (int k = 0; k < 4; k++) {
                    blob[i * 4 + k] = (byte) (g >>> (8 * k));
                }
            }
            a.i(uid).i(gid).b(blob).i(setGroups ? 1 : 0);
        }
    }

    /** capset: effective, permitted, inheritable as bit masks (bit n = capability n). */
    record Caps(long effective, long permitted, long inheritable) implements Op {
        public OpCode code() { return OpCode.CAPS; }
        public void write(PlanWriter.Args a) { a.i(effective).i(permitted).i(inheritable); }
    }

    record CapAmbient(long mask) implements Op {
        public OpCode code() { return OpCode.CAP_AMBIENT; }
        public void write(PlanWriter.Args a) { a.i(mask); }
    }

    record Umask(long mask) implements Op {
        public OpCode code() { return OpCode.UMASK; }
        public void write(PlanWriter.Args a) { a.i(mask); }
    }

    /**
     * chdir(2) to {@code path}. {@code step} {@link #ALWAYS}: must succeed; {@link #EARLY}
     * (before the user changes): a permission error leaves it to the {@link #LATE} one (after
     * the user changed), which runs only then: runc's two tries, so that a cwd only the runtime
     * can enter and one only the container's user can enter both work.
     */
    record Chdir(String path, int step) implements Op {
        public static final int ALWAYS = 0, EARLY = 1, LATE = 2;

        public Chdir(String path) {
            this(path, ALWAYS);
        }

        public OpCode code() { return OpCode.CHDIR; }
        public void write(PlanWriter.Args a) { a.s(path).i(step); }
    }

    /** Resolves args[0] against {@code searchPath} (the container's PATH) as Go's exec.LookPath does. */
    record LookupExec(String arg0, String searchPath) implements Op {
        public OpCode code() { return OpCode.LOOKUP_EXEC; }
        public void write(PlanWriter.Args a) { a.s(arg0).s(searchPath); }
    }

    /**
     * The exec fifo: {@link #RELEASE} opens /proc/self/fd/{@code fd} for writing (blocks until
     * start) and writes "0"; with startContainer hooks {@link #HOLD} opens it and keeps the write
     * end (a failure is then reported through it), and {@link #RELEASE_HELD} writes "0" on it.
     */
    record WaitFifo(int fd, int step) implements Op {
        public static final int RELEASE = 0, HOLD = 1, RELEASE_HELD = 2;

        public OpCode code() { return OpCode.WAIT_FIFO; }
        public void write(PlanWriter.Args a) { a.i(fd).i(step); }
    }

    /**
     * A createContainer or startContainer hook, run by the init: {@code path} with exactly
     * {@code argv} and {@code env}, the state {@code statePrefix + pid + stateSuffix} on stdin,
     * killed after {@code timeout} seconds (0: never); {@code index} is its place in its list
     * (for runc's error text "error running hook #N: ...").
     */
    record Hook(String path, List<String> argv, List<String> env, long timeout, String statePrefix, String stateSuffix,
                int index) implements Op {
        public Hook {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
        }

        public OpCode code() { return OpCode.HOOK; }
        public void write(PlanWriter.Args a) { a.s(path).l(argv).l(env).i(timeout).s(statePrefix).s(stateSuffix).i(index); }
    }

    /** Marks close-on-exec every fd from {@code first} up. */
    record CloseFds(int first) implements Op {
        public OpCode code() { return OpCode.CLOSE_FDS; }
        public void write(PlanWriter.Args a) { a.i(first); }
    }

    /**
     * HOME for an env without a non-empty HOME: the home of the first entry with this uid in
     * the container's /etc/passwd, else "/"; exec appends "HOME=..." to the env.
     */
    record DefaultHome(long uid) implements Op {
        public OpCode code() { return OpCode.DEFAULT_HOME; }
        public void write(PlanWriter.Args a) { a.i(uid); }
    }

    /**
     * Lines "CLOCK SECS NANOSECS" written to /proc/self/timens_offsets in one write (each line
     * ends with a newline), between unshare(CLONE_NEWTIME) and clone.
     */
    record TimensOffsets(List<String> lines) implements Op {
        public TimensOffsets {
            lines = List.copyOf(lines);
        }

        public OpCode code() { return OpCode.TIMENS_OFFSETS; }
        public void write(PlanWriter.Args a) {
            StringBuilder text = new StringBuilder();
            lines.forEach(l -> text.append(l).append('\n'));
            a.s(text.toString());
        }
    }

    /** Written to /proc/self/oom_score_adj before any namespace is joined. */
    record OomScoreAdj(long value) implements Op {
        public OpCode code() { return OpCode.OOM_SCORE_ADJ; }
        public void write(PlanWriter.Args a) { a.i(value); }
    }

    /** sched_setattr(0, attr, 0): policy and flags are the kernel's numbers. */
    record Scheduler(long policy, long flags, long nice, long priority, long runtime, long deadline, long period) implements Op {
        public OpCode code() { return OpCode.SCHEDULER; }
        public void write(PlanWriter.Args a) { a.i(policy).i(flags).i(nice).i(priority).i(runtime).i(deadline).i(period); }
    }

    /** ioprio_set(IOPRIO_WHO_PROCESS, 0, value), value = class << 13 | level. */
    record IoPriority(long value) implements Op {
        public OpCode code() { return OpCode.IOPRIO; }
        public void write(PlanWriter.Args a) { a.i(value); }
    }

    /** personality(persona). */
    record Personality(long persona) implements Op {
        public OpCode code() { return OpCode.PERSONALITY; }
        public void write(PlanWriter.Args a) { a.i(persona); }
    }

    /** sched_setaffinity(0, mask) with the CPUs of a CPU list ("0-3,7"), already validated. */
    record CpuAffinity(String cpus) implements Op {
        public OpCode code() { return OpCode.CPU_AFFINITY; }
        public void write(PlanWriter.Args a) { a.b(dev.jrunc.spec.CpuList.mask(dev.jrunc.spec.CpuList.parse(cpus))); }
    }

    record Exec(List<String> argv, List<String> env) implements Op {
        public Exec {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
        }

        public OpCode code() { return OpCode.EXEC; }
        public void write(PlanWriter.Args a) { a.l(argv).l(env); }
    }

    /**
     * Loads a seccomp filter: seccomp(SECCOMP_SET_MODE_FILTER, flags, program), the program a
     * classic BPF array ({@code struct sock_filter}, 8 bytes each) compiled by libseccomp in
     * jrunc. With {@code listener} the kernel returns the notify fd, which the init sends to the
     * parent ("seccomp" with SCM_RIGHTS) and closes.
     */
    record Seccomp(long flags, boolean listener, byte[] program) implements Op {
        public Seccomp {
            program = program.clone();
        }

        public OpCode code() { return OpCode.SECCOMP; }
        public void write(PlanWriter.Args a) { a.i(flags).i(listener ? 1 : 0).b(program); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Seccomp s && s.flags == flags && s.listener == listener && java.util.Arrays.equals(s.program, program);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(flags, listener, java.util.Arrays.hashCode(program));
        }

        @Override
        public String toString() {
            return "Seccomp[flags=" + flags + ", listener=" + listener + ", program=" + program.length / 8 + " instructions]";
        }
    }

    /** AppArmor: writes "exec PROFILE" to /proc/self/attr/apparmor/exec (else /proc/self/attr/exec); applies at execve. */
    record Apparmor(String profile) implements Op {
        public OpCode code() { return OpCode.APPARMOR; }
        public void write(PlanWriter.Args a) { a.s(profile); }
    }

    /** SELinux: writes the label to /proc/self/attr/exec; applies at execve. */
    record SelinuxLabel(String label) implements Op {
        public OpCode code() { return OpCode.SELINUX_LABEL; }
        public void write(PlanWriter.Args a) { a.s(label); }
    }

    /**
     * process.terminal: setsid, a new pty from the container's /dev/ptmx, TIOCSWINSZ when rows
     * and cols are both non-zero, the slave bound onto /dev/console, the master sent to the
     * parent ("console" + SCM_RIGHTS), the slave as fds 0-2 and controlling terminal, owned by uid.
     */
    record Console(long rows, long cols, long uid) implements Op {
        public OpCode code() { return OpCode.CONSOLE; }
        public void write(PlanWriter.Args a) { a.i(rows).i(cols).i(uid); }
    }

    /** The console of an exec'd process: as {@link Console} without /dev/console. */
    record ExecConsole(long rows, long cols, long uid) implements Op {
        public OpCode code() { return OpCode.EXEC_CONSOLE; }
        public void write(PlanWriter.Args a) { a.i(rows).i(cols).i(uid); }
    }
}
