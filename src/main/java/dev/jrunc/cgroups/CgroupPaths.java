package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a container's cgroup lives in each hierarchy. {@code linux.cgroupsPath} absolute: that
 * path from each hierarchy's root; relative: under the cgroup jrunc itself runs in (as runc's
 * cgroupfs driver); absent: {@code /jrunc/<id>}. Never the root of a hierarchy, nor the cgroup
 * jrunc runs in or one of its ancestors ({@code "."}, a relative path ending in it, or written
 * absolute): the container's delete kills every process of its cgroup.
 */
public final class CgroupPaths {
    public static final String DEFAULT_PARENT = "/jrunc";

    private CgroupPaths() {}

    /** The cgroup path (inside each hierarchy) named by config.json. */
    public static String cgroupPath(String cgroupsPath, String id) {
        if (cgroupsPath == null || cgroupsPath.isEmpty()) {
            return DEFAULT_PARENT + "/" + id;
        }
        return cgroupsPath;
    }

    /**
     * The directory of the container's cgroup in every mounted hierarchy, keyed by
     * {@link CgroupMount#key()}.
     *
     * @param own the cgroup of this process per hierarchy key (from /proc/self/cgroup)
     */
    public static Map<String, Path> resolve(String cgroupsPath, String id, List<CgroupMount> mounts, Map<String, String> own)
            throws JruncException {
        String path = cgroupPath(cgroupsPath, id);
        if (path.contains("\0") || List.of(path.split("/")).contains("..")) {
            throw new JruncException("invalid cgroupsPath " + path + ": must name a cgroup below the root");
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (CgroupMount m : mounts) {
            String absolute = path.startsWith("/") ? path : join(own.getOrDefault(m.key(), "/"), path);
            String normalized = Path.of(absolute).normalize().toString();
            if (!isUnder(normalized, m.root())) {
                throw new JruncException("cgroupsPath " + path + " is outside the hierarchy mounted at " + m.mountPoint()
                        + " (whose root is " + m.root() + ")");
            }
            Path dir = dirOf(m, normalized);
            if (!dir.startsWith(m.mountPoint()) || dir.equals(m.mountPoint())) {
                throw new JruncException("invalid cgroupsPath " + path + ": must name a cgroup below the root");
            }
            Path ownDir = dirOf(m, own.get(m.key()));
            if (ownDir != null && ownDir.startsWith(dir)) {
                // delete kills every process of the container's cgroup: here, the runtime and its caller
                throw new JruncException("invalid cgroupsPath " + path + ": " + dir + " holds the cgroup this runtime runs in ("
                        + ownDir + "); the container's delete would kill the runtime and its caller");
            }
            dirs.put(m.key(), dir);
        }
        return dirs;
    }

    /** The directories of this process's own cgroups ({@code own}, from /proc/self/cgroup) in the mounted hierarchies. */
    public static List<Path> ownDirs(List<CgroupMount> mounts, Map<String, String> own) {
        List<Path> dirs = new java.util.ArrayList<>();
        for (CgroupMount m : mounts) {
            Path dir = dirOf(m, own.get(m.key()));
            if (dir != null) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    /** The directory of a cgroup path (as /proc/self/cgroup gives it) in the hierarchy; null outside its mounted root. */
    private static Path dirOf(CgroupMount m, String cgroup) {
        if (cgroup == null || !cgroup.startsWith("/")) {
            return null;
        }
        String normalized = Path.of(cgroup).normalize().toString();
        if (!isUnder(normalized, m.root())) {
            return null;
        }
        String relative = m.root().equals("/") ? normalized.substring(1)
                : normalized.equals(m.root()) ? "" : normalized.substring(m.root().length() + 1);
        return m.mountPoint().resolve(relative).normalize();
    }

    private static String join(String parent, String child) {
        return parent.endsWith("/") ? parent + child : parent + "/" + child;
    }

    private static boolean isUnder(String path, String root) {
        return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
    }

    /** Parses /proc/self/cgroup: {@code N:controllers:path} (v1) and {@code 0::path} (v2, key {@code unified}). */
    public static Map<String, String> parseProcCgroup(String text) {
        Map<String, String> own = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) {
                continue;
            }
            String controllers = line.substring(first + 1, second);
            String path = line.substring(second + 1);
            if (controllers.isEmpty()) {
                own.put("unified", path);
            } else {
                own.put(String.join(",", new java.util.TreeSet<>(List.of(controllers.split(",")))), path);
            }
        }
        return own;
    }
}
