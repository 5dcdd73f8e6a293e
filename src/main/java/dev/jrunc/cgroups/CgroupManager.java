package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
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

    public CgroupManager(List<CgroupMount> mounts, Map<String, String> own) {
        this.mounts = List.copyOf(mounts);
        this.own = Map.copyOf(own);
    }

    /** The hierarchies mounted on this host and the cgroups of this process. */
    public static CgroupManager host() throws JruncException {
        try {
            return new CgroupManager(CgroupMount.parse(Files.readString(Path.of("/proc/self/mountinfo"))),
                    CgroupPaths.parseProcCgroup(Files.readString(Path.of("/proc/self/cgroup"))));
        } catch (IOException e) {
            throw new JruncException("cannot read the cgroup hierarchies: " + IoErrors.message(e), e);
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
            destroy(made);
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
        List<String> failures = new ArrayList<>();
        for (Path dir : dirs.values()) {
            if (!remove(dir)) {
                failures.add(dir.toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new JruncException("cannot remove cgroup " + String.join(", ", failures) + ": device or resource busy");
        }
    }

    private static boolean remove(Path dir) {
        long sleepMs = 5;
        for (int attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
            try {
                Files.delete(dir);
                return true;
            } catch (NoSuchFileException e) {
                return true;
            } catch (DirectoryNotEmptyException e) {
                // a child cgroup of the container's own (made by the container): remove it first
                if (!removeChildren(dir)) {
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

    private static boolean removeChildren(Path dir) {
        try (var entries = Files.list(dir)) {
            for (Path child : entries.filter(Files::isDirectory).toList()) {
                if (!remove(child)) {
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
