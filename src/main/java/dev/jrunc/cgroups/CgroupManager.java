package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.log.Logger;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One container's cgroup, as one driver manages it: where its directories are, how the
 * container's process gets in with its limits, how limits change, its freezer, its processes,
 * and its removal. The driver ({@link CgroupDriver}) is chosen once, at create
 * ({@link CgroupManagers#forCreate}), recorded in state.json, and every later command gets the
 * same one back ({@link CgroupManagers#forRecord}).
 */
public interface CgroupManager {
    /** The driver, as state.json records it. */
    CgroupDriver driver();

    /**
     * The container's directory in each hierarchy, keyed by {@link CgroupMount#key()}. Before
     * {@link #enter}, where it will be; after it, the ones it really is in (rootless create may
     * leave out a hierarchy it cannot write).
     */
    Map<String, Path> dirs();

    /**
     * runc's checks before anything is made: resources the host cannot take (a limit of a
     * controller it lacks, {@code unified} on v1), a frozen cgroup (refused: the init would stop
     * in it), a non-empty one (a warning).
     */
    void check(Resources resources, Logger logger) throws JruncException;

    /**
     * The cgroup directory the container's init will be in, per hierarchy, known before it
     * starts: what a cgroup mount without a cgroup namespace binds. The same as {@link #dirs()}
     * but where rootless create will leave a hierarchy out (then the caller's own cgroup there).
     */
    default Map<String, Path> visibleDirs() {
        return dirs();
    }

    /**
     * Makes the cgroup, writes the limits and device rules, and moves {@code pid} in. On a
     * failure what was made so far is what {@link #destroy} removes.
     *
     * @param devices the config's {@code linux.devices} (empty when it has none)
     */
    void enter(int pid, Resources resources, List<Device> devices) throws JruncException;

    /**
     * {@code update}: writes {@code changes} into the live cgroup.
     *
     * @param merged   the stored resources with the changes applied (what v2 device rules are made from)
     * @param stateDir the container's state directory (its saved config)
     */
    void update(Resources changes, Resources merged, Path stateDir) throws JruncException;

    /** Removes the container's cgroup (never a parent others may share). */
    void destroy() throws JruncException;

    /** The freezer of the container's cgroup, or null when it has none. */
    default Freezer freezer() {
        return Freezer.of(stringPaths(dirs()));
    }

    /**
     * The directory whose {@code cgroup.procs} lists the container's processes: the v1 devices
     * hierarchy (as runc), else the unified one, else any.
     */
    default Path pidsDir() {
        return pidsDir(stringPaths(dirs()));
    }

    /** The processes in the container's cgroup (read from the first hierarchy that lists them). */
    default Set<Integer> pids() {
        Set<Integer> pids = new LinkedHashSet<>();
        for (Path dir : dirs().values()) {
            try {
                for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Integer.parseInt(line.trim()));
                    }
                }
                return pids;
            } catch (java.io.IOException | NumberFormatException e) {
                // try the next hierarchy
            }
        }
        return pids;
    }

    /** {@link #pidsDir()} of directories given as state.json keeps them. */
    static Path pidsDir(Map<String, String> cgroupPaths) {
        for (Map.Entry<String, String> e : cgroupPaths.entrySet()) {
            if (List.of(e.getKey().split(",")).contains("devices")) {
                return Path.of(e.getValue());
            }
        }
        if (cgroupPaths.containsKey(CgroupMount.UNIFIED)) {
            return Path.of(cgroupPaths.get(CgroupMount.UNIFIED));
        }
        return cgroupPaths.values().stream().findFirst().map(Path::of).orElse(null);
    }

    static Map<String, String> stringPaths(Map<String, Path> dirs) {
        Map<String, String> out = new LinkedHashMap<>();
        dirs.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }
}
