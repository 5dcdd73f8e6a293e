package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.spec.model.BlockIo;
import dev.jrunc.spec.model.Cpu;
import dev.jrunc.spec.model.Memory;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The cgroups of a rootless container, as runc's rootless cgroupfs manager: a hierarchy whose
 * directory the caller may not create or join is left out when the config names no
 * {@code cgroupsPath} (the container then shares jrunc's cgroup there); with an explicit
 * {@code cgroupsPath} that is an error. A limit asked for in a hierarchy left out is an error
 * (runc's {@code cannot set pids limit: container could not join or create cgroup}). Device
 * rules are never written (an unprivileged process cannot, runc ignores their errors).
 */
public final class RootlessCgroups {
    private RootlessCgroups() {}

    /** EACCES, EPERM or EROFS: what runc's isIgnorableError accepts. */
    static boolean permissionError(IOException e) {
        if (e instanceof AccessDeniedException) {
            return true;
        }
        String r = IoErrors.reason(e);
        return r.equals("permission denied") || r.equals("operation not permitted") || r.equals("read-only file system");
    }

    /**
     * Makes each directory; a hierarchy the caller has no permission for is dropped (explicit
     * false) or fails (explicit true). Returns the directories made, in order.
     */
    public static Map<String, Path> create(CgroupHierarchies manager, Map<String, Path> dirs, boolean explicit) throws JruncException {
        boolean hybrid = ResourcesWriter.v1(manager.mounts());
        Map<String, Path> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            try {
                kept.putAll(manager.create(Map.of(e.getKey(), e.getValue())));
            } catch (JruncException ex) {
                if (optional(e.getKey(), explicit, hybrid) && ex.getCause() instanceof IOException io && permissionError(io)) {
                    continue;
                }
                manager.remove(kept);
                throw ex;
            }
        }
        return kept;
    }

    /** Moves pid into each directory; one it may not join is removed and dropped (explicit false) or fails. */
    public static Map<String, Path> join(CgroupHierarchies manager, Map<String, Path> dirs, int pid, boolean explicit,
            boolean hybrid) throws JruncException {
        Map<String, Path> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            try {
                CgroupHierarchies.join(Map.of(e.getKey(), e.getValue()), pid);
                kept.put(e.getKey(), e.getValue());
            } catch (JruncException ex) {
                if (optional(e.getKey(), explicit, hybrid) && ex.getCause() instanceof IOException io && permissionError(io)) {
                    manager.remove(Map.of(e.getKey(), e.getValue()));
                    continue;
                }
                throw ex;
            }
        }
        return kept;
    }

    /**
     * Whether a hierarchy may be left out: every one without cgroupsPath; with it, only the
     * controller-less cgroup2 of a hybrid host (moving a process there needs write access to
     * the common ancestor's cgroup.procs, usually the root's; it carries no limits).
     */
    static boolean optional(String key, boolean explicit, boolean hybrid) {
        return !explicit || (hybrid && key.equals("unified"));
    }

    /**
     * The cgroup directory the container's init will be in, per hierarchy key, for the binds of
     * a config's cgroup mount without a cgroup namespace (known before the init starts): the
     * container's own where rootless create can make or join it ({@code usable}), else the
     * caller's, which the init inherits there (runc binds the same: the cgroup its init reads
     * from /proc/self/cgroup). A hierarchy whose caller's cgroup is not below its mount is left
     * out. With an explicit {@code cgroupsPath} every directory is the container's (create fails
     * otherwise).
     *
     * @param own the caller's cgroup per hierarchy key, as /proc/self/cgroup gives it
     */
    public static Map<String, Path> visible(List<CgroupMount> mounts, Map<String, Path> dirs, Map<String, String> own,
            boolean explicit, Predicate<Path> usable) {
        boolean hybrid = ResourcesWriter.v1(mounts);
        Map<String, Path> out = new LinkedHashMap<>();
        for (CgroupMount m : mounts) {
            Path dir = dirs.get(m.key());
            if (dir == null) {
                continue;
            }
            if (!optional(m.key(), explicit, hybrid) || usable.test(dir)) {
                out.put(m.key(), dir);
                continue;
            }
            Path inherited = below(m, own.get(m.key()));
            if (inherited != null) {
                out.put(m.key(), inherited);
            }
        }
        return out;
    }

    /** The directory of cgroup {@code path} in hierarchy {@code m}, null when it is not below the mount's root. */
    private static Path below(CgroupMount m, String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        Path cgroup = Path.of(path).normalize();
        Path root = Path.of(m.root()).normalize();
        if (!cgroup.startsWith(root)) {
            return null;
        }
        return m.mountPoint().resolve(root.relativize(cgroup).toString()).normalize();
    }

    /**
     * Whether rootless create can make and join {@code dir}: it exists with a {@code cgroup.procs}
     * the caller may write, or its nearest existing ancestor is writable (a directory owned by
     * the real root is not, even to uid 0 of an engine's user namespace).
     */
    public static boolean usable(Path dir) {
        if (Files.isDirectory(dir)) {
            return Files.isWritable(dir.resolve("cgroup.procs"));
        }
        Path p = dir.getParent();
        while (p != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        return p != null && Files.isWritable(p);
    }

    /** The directories limits may be written to: every one but the devices hierarchy's. */
    public static Map<String, Path> withoutDevices(Map<String, Path> dirs) {
        Map<String, Path> out = new LinkedHashMap<>(dirs);
        out.keySet().removeIf(k -> !k.equals("unified") && List.of(k.split(",")).contains("devices"));
        return out;
    }

    /**
     * Fails when the resources ask for a limit of a controller that no kept directory has
     * (rootless: a hierarchy left out; as root too, on v1: a controller the host does not mount)
     * (runc's words: v1 {@code cannot set memory limit: container could not join or create
     * cgroup}; v2 {@code rootless needs no limits + no cgrouppath when no permission is granted
     * for cgroups}).
     */
    public static void checkLimits(Resources r, Map<String, Path> kept, boolean v2) throws JruncException {
        Set<String> wanted = requested(r);
        if (wanted.isEmpty()) {
            return;
        }
        if (v2) {
            if (!kept.containsKey("unified")) {
                throw new JruncException("rootless needs no limits + no cgrouppath when no permission is granted for cgroups: "
                        + "cannot create or join a cgroup for " + String.join(", ", wanted));
            }
            return;
        }
        Set<String> have = new LinkedHashSet<>();
        for (String key : kept.keySet()) {
            have.addAll(List.of(key.split(",")));
        }
        for (String controller : wanted) {
            if (!controller.equals("unified") && !have.contains(controller)) {
                throw new JruncException("cannot set " + controller + " limit: container could not join or create cgroup");
            }
        }
    }

    /** The controllers (runc's subsystem names, in runc's order) a config's resources write to; devices never. */
    public static Set<String> requested(Resources r) {
        Set<String> out = new LinkedHashSet<>();
        if (r == null) {
            return out;
        }
        Cpu c = r.cpu();
        if (c != null && (nonEmpty(c.cpus()) || nonEmpty(c.mems()))) out.add("cpuset");
        Memory m = r.memory();
        if (m != null && (set(m.limit()) || set(m.reservation()) || set(m.swap()) || set(m.kernelTCP()) || m.swappiness() != null
                || Boolean.TRUE.equals(m.disableOOMKiller()))) out.add("memory");
        if (c != null && (set(c.shares()) || set(c.quota()) || set(c.period()) || set(c.burst()) || set(c.realtimeRuntime())
                || set(c.realtimePeriod()) || c.idle() != null)) out.add("cpu");
        if (r.pids() != null && set(r.pids().limit())) out.add("pids");
        BlockIo b = r.blockIO();
        if (b != null && ((b.weight() != null && b.weight() != 0) || (b.leafWeight() != null && b.leafWeight() != 0)
                || nonEmpty(b.weightDevice()) || nonEmpty(b.throttleReadBpsDevice()) || nonEmpty(b.throttleWriteBpsDevice())
                || nonEmpty(b.throttleReadIOPSDevice()) || nonEmpty(b.throttleWriteIOPSDevice()))) out.add("blkio");
        if (nonEmpty(r.hugepageLimits())) out.add("hugetlb");
        if (r.network() != null && set(r.network().classID())) out.add("net_cls");
        if (r.network() != null && nonEmpty(r.network().priorities())) out.add("net_prio");
        if (r.rdma() != null && !r.rdma().isEmpty()) out.add("rdma");
        if (r.unified() != null && !r.unified().isEmpty()) out.add("unified");
        return out;
    }

    private static boolean set(Long v) {
        return v != null && v != 0;
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static boolean nonEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }
}
