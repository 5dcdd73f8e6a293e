package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates, joins and removes a container's cgroup directories (cgroupfs driver, v1, v2 and
 * hybrid hosts). Resource limits are applied elsewhere; this class only owns the directories.
 */
public final class CgroupManager {
    private static final int REMOVE_ATTEMPTS = 8;

    private final List<CgroupMount> mounts;
    private final Map<String, String> own;
    private final Rmdir rmdir;

    /** rmdir(2) of a cgroup directory ({@link Files#delete} on a cgroup file system). */
    @FunctionalInterface
    public interface Rmdir {
        void remove(Path dir) throws IOException;
    }

    public CgroupManager(List<CgroupMount> mounts, Map<String, String> own) {
        this(mounts, own, Files::delete);
    }

    public CgroupManager(List<CgroupMount> mounts, Map<String, String> own, Rmdir rmdir) {
        this.mounts = List.copyOf(mounts);
        this.own = Map.copyOf(own);
        this.rmdir = rmdir;
    }

    /** The hierarchies mounted on this host and the cgroups of this process. */
    public static CgroupManager host() throws JruncException {
        return load(Path.of("/proc"), Files::delete);
    }

    /** The same from {@code procRoot}'s {@code self/mountinfo} and {@code self/cgroup}. */
    public static CgroupManager load(Path procRoot, Rmdir rmdir) throws JruncException {
        try {
            return new CgroupManager(CgroupMount.parse(Files.readString(procRoot.resolve("self/mountinfo"))),
                    CgroupPaths.parseProcCgroup(Files.readString(procRoot.resolve("self/cgroup"))), rmdir);
        } catch (IOException e) {
            throw new JruncException("cannot read the cgroup hierarchies: " + e.getMessage(), e);
        }
    }

    public List<CgroupMount> mounts() {
        return mounts;
    }

    public Map<String, Path> paths(String cgroupsPath, String id) throws JruncException {
        return CgroupPaths.resolve(cgroupsPath, id, mounts, own);
    }

    /**
     * Makes every directory (and missing parents). A new cpuset cgroup starts with empty
     * {@code cpuset.cpus}/{@code cpuset.mems}, which refuses tasks, so each level created gets
     * its parent's values, as runc does. Returns the paths made.
     */
    public Map<String, Path> create(Map<String, Path> dirs) throws JruncException {
        Map<String, Path> made = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : dirs.entrySet()) {
                CgroupMount mount = mountOf(e.getKey());
                List<Path> levels = new ArrayList<>();
                for (Path p = e.getValue(); !Files.isDirectory(p); p = p.getParent()) {
                    levels.add(0, p);
                }
                for (Path level : levels) {
                    Files.createDirectory(level);
                    if (mount.version() == 1 && mount.controllers().contains("cpuset")) {
                        inherit(level, "cpuset.cpus");
                        inherit(level, "cpuset.mems");
                    }
                }
                made.put(e.getKey(), e.getValue());
            }
            return made;
        } catch (IOException e) {
            remove(made);
            throw new JruncException("cannot create cgroup: " + describe(e), e);
        }
    }

    /** Moves a process into the cgroup in every hierarchy. */
    public void join(Map<String, Path> dirs, int pid) throws JruncException {
        for (Path dir : dirs.values()) {
            try {
                Files.writeString(dir.resolve("cgroup.procs"), Integer.toString(pid));
            } catch (IOException e) {
                throw new JruncException("cannot add pid " + pid + " to cgroup " + dir + ": " + describe(e), e);
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
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.toString();
    }
}
