package dev.jrunc.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.JruncException;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.cgroups.CgroupMount;
import dev.jrunc.cgroups.Freezer;
import dev.jrunc.cgroups.systemd.SystemdManager;
import dev.jrunc.json.Json;
import dev.jrunc.json.JsonFile;
import dev.jrunc.process.Signals;
import dev.jrunc.state.StateStore;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code delete --force} undoes of a container it has no readable state of: a create killed
 * before state.json was written, or a state.json that is corrupt. The container's cgroups are
 * found from the state's {@code cgroupPaths} (read leniently, when it parses as JSON) and from the
 * config.json create saved in the state directory (its {@code linux.cgroupsPath}, for the
 * hierarchies the state does not name), or else at the default path {@code /jrunc/<id>}; every process in them is killed, and the
 * cgroups are removed. With neither a state nor a saved config, create had made nothing (it
 * saves the config first): only empty cgroups at the default path are removed, no process is
 * killed there (it may be a container of the same id under another state root). A container of the
 * systemd driver (the state's {@code cgroupDriver}, else {@code --systemd-cgroup}) is found where
 * the driver places the unit named by the config's {@code slice:prefix:name}, and once its
 * processes are killed the unit is stopped. runc refuses such a delete and leaves the cgroups (and the processes).
 */
final class Remnants {
    private static final long KILL_TIMEOUT_MS = 10_000;

    private final RuntimeOptions options;
    private final RuntimeEnvironment env;
    private final Syscalls sys;

    Remnants(RuntimeOptions options, RuntimeEnvironment env, Syscalls sys) {
        this.options = options;
        this.env = env;
        this.sys = sys;
    }

    /** Kills what runs in the container's cgroups and removes them; failures are logged, as delete's. */
    void destroy(String id, Path stateDir) throws JruncException {
        CgroupHierarchies cgroups;
        try {
            cgroups = env.cgroups();
        } catch (JruncException e) {
            options.logger().warn("cannot find the container's cgroups: " + e.getMessage());
            return;
        }
        Map<String, Path> dirs = fromState(stateDir.resolve(StateStore.STATE_FILE), cgroups.mounts());
        if (dirs.isEmpty()) {
            // killed between the creating record and the created one
            dirs = fromState(stateDir.resolve(StateStore.CREATING_FILE), cgroups.mounts());
        }
        Path savedConfig = stateDir.resolve(ContainerCreator.SAVED_CONFIG);
        // the systemd driver: what the state records, else what this delete is told (podman passes
        // --systemd-cgroup to every command)
        String driver = driverOf(stateDir.resolve(StateStore.STATE_FILE));
        if (driver == null) {
            driver = driverOf(stateDir.resolve(StateStore.CREATING_FILE));
        }
        boolean systemd = driver != null ? driver.startsWith("systemd") : options.systemdCgroup();
        // create saves the config before it makes any cgroup or process: without it (nor a state)
        // the default path may only be another state root's container of the same id
        boolean made = !dirs.isEmpty() || Files.exists(savedConfig);
        if (dirs.isEmpty() || Files.exists(savedConfig)) {
            // also where the state names some hierarchies only (a member of the wrong type)
            (systemd ? unitDirs(id, savedConfig, cgroups) : fromConfig(id, savedConfig, cgroups)).forEach(dirs::putIfAbsent);
        }
        dirs.values().removeIf(dir -> !Files.isDirectory(dir));
        if (dirs.isEmpty()) {
            return;
        }
        Map<String, Path> killable = new LinkedHashMap<>(dirs);
        int self = sys.getpid();
        // never a cgroup that holds jrunc itself (a state or config naming an ancestor of ours)
        killable.values().removeIf(dir -> pids(Map.of("", dir)).contains(self));
        if (!made) {
            dirs.values().removeIf(dir -> !pids(Map.of("", dir)).isEmpty());
            killable.clear();
        }
        Map<String, String> named = new LinkedHashMap<>();
        killable.forEach((k, v) -> named.put(k, v.toString()));
        Freezer freezer = Freezer.of(named);
        if (freezer != null && freezer.frozen()) {
            freezer.thaw(); // a frozen process dies of SIGKILL only once thawed
        }
        killAll(killable);
        if (systemd && made) {
            stopUnit(dirs.values().iterator().next().getFileName().toString());
        }
        try {
            CgroupHierarchies.destroy(dirs, env.rmdir());
        } catch (JruncException e) {
            options.logger().error(e.getMessage()); // as delete: logged, the state still goes
        }
    }

    /** The unit of a half-made systemd container, stopped once its processes are gone (as delete's destroy). */
    private void stopUnit(String unit) {
        try {
            SystemdManager.stopUnit(unit, options.rootless());
        } catch (JruncException e) {
            options.logger().error(e.getMessage()); // as delete: logged, the state still goes
        }
    }

    /** The {@code cgroupDriver} member of a state file that parses as JSON; null otherwise. */
    static String driverOf(Path file) {
        try {
            JsonNode d = Json.mapper().readTree(JsonFile.read(file)).path("cgroupDriver");
            return d.isTextual() ? d.textValue() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The unit's directories, as the systemd driver's create placed them from the saved config's cgroupsPath. */
    private Map<String, Path> unitDirs(String id, Path savedConfig, CgroupHierarchies cgroups) {
        try {
            JsonNode path = Json.mapper().readTree(JsonFile.read(savedConfig)).path("linux").path("cgroupsPath");
            return new LinkedHashMap<>(SystemdManager.forCreate(sys, cgroups, path.isTextual() ? path.textValue() : null, id,
                    options.rootless(), java.util.List.of()).dirs());
        } catch (JruncException e) {
            options.logger().warn("cannot find the container's systemd unit: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            options.logger().warn("cannot find the container's systemd unit: " + dev.jrunc.sys.IoErrors.reason(e));
        }
        return new LinkedHashMap<>();
    }

    /**
     * After a delete of a readable state: the cgroups the saved config places in hierarchies the
     * state does not name (a state.json that lost members) are emptied and removed too. Not
     * rootless (create leaves out the hierarchies it may not write, on purpose); nothing is read
     * when the state names every mounted hierarchy (the usual case).
     */
    void removeUnnamed(String id, Path stateDir, Set<String> named) throws JruncException {
        removeUnnamed(id, stateDir, named, null);
    }

    /** The same, with the host's hierarchies when the caller has read them already ({@code null}: read here). */
    void removeUnnamed(String id, Path stateDir, Set<String> named, CgroupHierarchies host) throws JruncException {
        Path savedConfig = stateDir.resolve(ContainerCreator.SAVED_CONFIG);
        if (options.rootless() || !Files.exists(savedConfig)) {
            return;
        }
        CgroupHierarchies cgroups = host;
        if (cgroups == null) {
            try {
                cgroups = env.cgroups();
            } catch (JruncException e) {
                options.logger().warn("cannot find the container's cgroups: " + e.getMessage());
                return;
            }
        }
        if (cgroups.mounts().stream().allMatch(m -> named.contains(m.key()))) {
            return;
        }
        Map<String, Path> dirs = fromConfig(id, savedConfig, cgroups);
        dirs.keySet().removeAll(named);
        dirs.values().removeIf(dir -> !Files.isDirectory(dir) || pids(Map.of("", dir)).contains(sys.getpid()));
        if (dirs.isEmpty()) {
            return;
        }
        killAll(dirs);
        try {
            CgroupHierarchies.destroy(dirs, env.rmdir());
        } catch (JruncException e) {
            options.logger().error(e.getMessage());
        }
    }

    /** SIGKILL to every process of the cgroups (and their sub-cgroups) until none is left, bounded. */
    private void killAll(Map<String, Path> dirs) throws JruncException {
        long deadline = System.currentTimeMillis() + KILL_TIMEOUT_MS;
        while (true) {
            Set<Integer> pids = pids(dirs);
            if (pids.isEmpty()) {
                return;
            }
            for (int pid : pids) {
                try {
                    sys.kill(pid, Signals.SIGKILL);
                } catch (ErrnoException e) {
                    // gone already
                }
                try {
                    sys.waitpid(pid, true);
                } catch (ErrnoException e) {
                    // not our child: its own parent reaps it
                }
            }
            if (System.currentTimeMillis() > deadline) {
                options.logger().error("processes " + pids + " of the container's cgroup did not die after SIGKILL");
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JruncException("interrupted while killing the container's processes");
            }
        }
    }

    /** The pids listed in {@code cgroup.procs} of each directory and of its sub-directories. */
    private static Set<Integer> pids(Map<String, Path> dirs) {
        Set<Integer> pids = new LinkedHashSet<>();
        for (Path dir : dirs.values()) {
            pids.addAll(CgroupHierarchies.processes(dir));
        }
        return pids;
    }

    /**
     * The {@code cgroupPaths} of a state.json that parses as JSON but not as a state: only the
     * string members that name a directory strictly below a mounted hierarchy; empty otherwise.
     */
    static Map<String, Path> fromState(Path file, List<CgroupMount> mounts) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        JsonNode paths;
        try {
            paths = Json.mapper().readTree(JsonFile.read(file)).path("cgroupPaths");
        } catch (IOException | RuntimeException e) {
            return dirs;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual() && e.getValue().textValue().indexOf('\0') < 0) {
                Path dir = Path.of(e.getValue().textValue()).normalize();
                if (dir.isAbsolute() && mounts.stream().anyMatch(m -> dir.startsWith(m.mountPoint()) && !dir.equals(m.mountPoint()))) {
                    dirs.put(e.getKey(), dir);
                }
            }
        }
        return dirs;
    }

    /** The container's cgroups as create placed them: from the saved config's cgroupsPath, else the default. */
    private Map<String, Path> fromConfig(String id, Path savedConfig, CgroupHierarchies cgroups) {
        String cgroupsPath = null;
        try {
            JsonNode path = Json.mapper().readTree(JsonFile.read(savedConfig)).path("linux").path("cgroupsPath");
            cgroupsPath = path.isTextual() ? path.textValue() : null;
        } catch (IOException | RuntimeException e) {
            // no config saved (create killed before it): the default path
        }
        boolean explicit = cgroupsPath != null && !cgroupsPath.isEmpty();
        try {
            return new LinkedHashMap<>(cgroups.paths(options.rootless() && !explicit ? id : cgroupsPath, id));
        } catch (JruncException e) {
            options.logger().warn("cannot find the container's cgroups: " + e.getMessage());
            return new LinkedHashMap<>();
        }
    }
}
