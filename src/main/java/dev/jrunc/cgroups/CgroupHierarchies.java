package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.log.Logger;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's cgroup hierarchies (what /proc/self/mountinfo mounts, and this process's own
 * cgroups in them), and the directory work every driver shares: make (cpuset values copied
 * down), check before create, join, remove. Limits are the drivers' ({@link CgroupManager}).
 */
public final class CgroupHierarchies {
    private static final int REMOVE_ATTEMPTS = 8;

    private final List<CgroupMount> mounts;
    private final Map<String, String> own;
    private final Rmdir rmdir;

    /** rmdir(2) of a cgroup directory ({@link Files#delete} on a cgroup file system). */
    @FunctionalInterface
    public interface Rmdir {
        void remove(Path dir) throws IOException;
    }

    public CgroupHierarchies(List<CgroupMount> mounts, Map<String, String> own) {
        this(mounts, own, Files::delete);
    }

    public CgroupHierarchies(List<CgroupMount> mounts, Map<String, String> own, Rmdir rmdir) {
        this.mounts = List.copyOf(mounts);
        this.own = Map.copyOf(own);
        this.rmdir = rmdir;
    }

    /** This process's cgroup per hierarchy key, as its /proc/self/cgroup says. */
    public Map<String, String> own() {
        return own;
    }

    /** The hierarchies mounted on this host and the cgroups of this process. */
    public static CgroupHierarchies host() throws JruncException {
        return load(Path.of("/proc"), Files::delete);
    }

    /** The same from {@code procRoot}'s {@code self/mountinfo} and {@code self/cgroup}. */
    public static CgroupHierarchies load(Path procRoot, Rmdir rmdir) throws JruncException {
        try {
            return new CgroupHierarchies(CgroupMount.parse(Files.readString(procRoot.resolve("self/mountinfo"))),
                    CgroupPaths.parseProcCgroup(Files.readString(procRoot.resolve("self/cgroup"))), rmdir);
        } catch (IOException e) {
            throw new JruncException("cannot read the cgroup hierarchies: " + IoErrors.message(e), e);
        }
    }

    /** rmdir(2) as this host's hierarchies are given it (a fake in tests). */
    public Rmdir rmdir() {
        return rmdir;
    }

    public List<CgroupMount> mounts() {
        return mounts;
    }

    public Map<String, Path> paths(String cgroupsPath, String id) throws JruncException {
        return CgroupPaths.resolve(cgroupsPath, id, mounts, own);
    }

    /**
     * Makes every directory (and missing parents). A new cpuset cgroup starts with empty
     * {@code cpuset.cpus}/{@code cpuset.mems}, which refuses tasks (ENOSPC), so, as runc's
     * cpusetEnsureParent, every level from the mount point down, made now or already there
     * (an intermediate directory another tool made), gets its parent's values when it has none.
     * Returns the paths made.
     */
    public Map<String, Path> create(Map<String, Path> dirs) throws JruncException {
        Map<String, Path> made = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : dirs.entrySet()) {
                CgroupMount mount = mountOf(e.getKey());
                if (mount.version() == 1 && mount.controllers().contains("cpuset")) {
                    createCpuset(mount.mountPoint(), e.getValue());
                } else {
                    Files.createDirectories(e.getValue());
                }
                made.put(e.getKey(), e.getValue());
            }
            return made;
        } catch (IOException e) {
            remove(made);
            throw new JruncException("cannot create cgroup: " + describe(e), e);
        }
    }

    private static void createCpuset(Path mountPoint, Path leaf) throws IOException {
        Path level = mountPoint;
        for (Path name : mountPoint.relativize(leaf)) {
            level = level.resolve(name);
            if (!Files.isDirectory(level)) {
                Files.createDirectory(level);
            }
            inherit(level, "cpuset.cpus");
            inherit(level, "cpuset.mems");
        }
    }

    /**
     * runc's checks before it makes anything (the container's cgroup may exist already, made by
     * the caller): processes in it are a warning in runc's words, a frozen cgroup an error (the
     * container's init would stop in it at its first step, and create wait for it). A cgroup
     * not made yet is frozen when the nearest existing ancestor is (a child starts frozen).
     */
    public void checkExisting(Map<String, Path> dirs, Logger logger) throws JruncException {
        Path counted = dirs.get(pidsKey());
        if (counted != null && Files.isDirectory(counted)) {
            int n = countProcesses(counted);
            if (n > 0) {
                logger.warn("container's cgroup is not empty: " + n + " process(es) found");
                logger.warn("DEPRECATED: running container in a non-empty cgroup won't be supported in runc 1.2; "
                        + "https://github.com/opencontainers/runc/issues/3132");
            }
        }
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            CgroupMount mount = mountOf(e.getKey());
            boolean v1Freezer = mount.version() == 1 && mount.controllers().contains("freezer");
            if ((v1Freezer || mount.version() == 2) && frozen(mount.mountPoint(), e.getValue(), v1Freezer)) {
                throw new JruncException("container's cgroup unexpectedly frozen");
            }
        }
    }

    /** The hierarchy runc counts a cgroup's processes in: v1 the devices one, else the unified one. */
    private String pidsKey() {
        for (CgroupMount m : mounts) {
            if (m.version() == 1 && m.controllers().contains("devices")) {
                return m.key();
            }
        }
        return "unified";
    }

    /** The number of processes of a cgroup and of its descendants. */
    static int countProcesses(Path dir) {
        return processes(dir).size();
    }

    /**
     * The pids of a cgroup and of its descendants (runc's GetAllPids): every {@code cgroup.procs}
     * below {@code dir}; a cgroup removed meanwhile, or none at all, has none (runc ignores
     * ENOENT and ENODEV too).
     */
    public static Set<Integer> processes(Path dir) {
        Set<Integer> pids = new LinkedHashSet<>();
        try (var walk = Files.walk(dir)) {
            for (Path d : walk.filter(Files::isDirectory).toList()) {
                try {
                    for (String line : Files.readAllLines(d.resolve("cgroup.procs"))) {
                        if (!line.isBlank()) {
                            pids.add(Integer.parseInt(line.trim()));
                        }
                    }
                } catch (IOException | NumberFormatException ex) {
                    // removed meanwhile, or not a cgroup
                }
            }
        } catch (IOException | java.io.UncheckedIOException ex) {
            // removed meanwhile
        }
        return pids;
    }

    /**
     * v1: freezer.state of the cgroup, or of its nearest existing ancestor, is FROZEN or
     * FREEZING (the state includes an ancestor's freezing); v2: its cgroup.events says
     * {@code frozen 1}. The mount point (the root cgroup) cannot be frozen.
     */
    static boolean frozen(Path mountPoint, Path dir, boolean v1) {
        Path level = dir;
        while (!Files.isDirectory(level) && level.startsWith(mountPoint) && !level.equals(mountPoint)) {
            level = level.getParent();
        }
        if (level.equals(mountPoint) || !level.startsWith(mountPoint)) {
            return false;
        }
        try {
            if (v1) {
                String state = Files.readString(level.resolve("freezer.state")).trim();
                return state.equals("FROZEN") || state.equals("FREEZING");
            }
            return Files.readAllLines(level.resolve("cgroup.events")).stream().anyMatch(l -> l.trim().equals("frozen 1"));
        } catch (IOException ex) {
            return false;
        }
    }

    /**
     * Moves a process into the cgroup in every hierarchy; a failure in runc's words
     * ({@code failed to write PID: write DIR/cgroup.procs: REASON}).
     */
    public static void join(Map<String, Path> dirs, int pid) throws JruncException {
        for (Path dir : dirs.values()) {
            Path procs = dir.resolve("cgroup.procs");
            try {
                Files.writeString(procs, Integer.toString(pid));
            } catch (IOException e) {
                throw new JruncException("failed to write " + pid + ": " + IoErrors.pathError("write", procs, e), e);
            }
        }
    }

    /**
     * Removes the container's leaf directories (never the parents, which other containers may
     * share). A cgroup empties a moment after its last process is reaped, so EBUSY is retried.
     */
    public static void destroy(Map<String, Path> dirs) throws JruncException {
        destroy(dirs, Files::delete);
    }

    /** {@link #destroy(Map)} with this manager's rmdir. */
    public void remove(Map<String, Path> dirs) throws JruncException {
        destroy(dirs, rmdir);
    }

    /** {@link #destroy(Map)} with {@code rmdir}. */
    public static void destroy(Map<String, Path> dirs, Rmdir rmdir) throws JruncException {
        List<String> failures = new ArrayList<>();
        for (Path dir : dirs.values()) {
            if (!remove(dir, rmdir)) {
                failures.add(dir.toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new JruncException("cannot remove cgroup " + String.join(", ", failures) + ": device or resource busy");
        }
    }

    private static boolean remove(Path dir, Rmdir rmdir) {
        long sleepMs = 5;
        for (int attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
            try {
                rmdir.remove(dir);
                return true;
            } catch (NoSuchFileException e) {
                return true;
            } catch (DirectoryNotEmptyException e) {
                // a child cgroup of the container's own (made by the container): remove it first
                if (!removeChildren(dir, rmdir)) {
                    return false;
                }
            } catch (IOException e) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                sleepMs *= 2;
            }
        }
        return false;
    }

    private static boolean removeChildren(Path dir, Rmdir rmdir) {
        try (var entries = Files.list(dir)) {
            for (Path child : entries.filter(Files::isDirectory).toList()) {
                if (!remove(child, rmdir)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private CgroupMount mountOf(String key) throws JruncException {
        for (CgroupMount m : mounts) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        throw new JruncException("no cgroup hierarchy " + key + " is mounted");
    }

    private static void inherit(Path dir, String file) throws IOException {
        String value = Files.readString(dir.resolve(file)).trim();
        if (value.isEmpty()) {
            Files.writeString(dir.resolve(file), Files.readString(dir.getParent().resolve(file)).trim());
        }
    }

    private static String describe(IOException e) {
        return IoErrors.message(e);
    }
}
