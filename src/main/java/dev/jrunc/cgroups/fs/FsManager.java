package dev.jrunc.cgroups.fs;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.cgroups.CgroupManager;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.cgroups.RootlessCgroups;
import dev.jrunc.log.Logger;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroupfs driver: jrunc makes, joins and removes the directories itself and writes the
 * limits into their files. What differs between a v1 (or hybrid) and a v2 host, the files the
 * limits go to, is {@link FsV1Manager}'s and {@link FsV2Manager}'s.
 *
 * <p>Rootless (runc's rootless cgroupfs manager): a hierarchy the caller may not make or join
 * is left out, unless the config names its cgroupsPath; no device rules are written.
 */
public abstract sealed class FsManager implements CgroupManager permits FsV1Manager, FsV2Manager {
    /** The host's hierarchies; null for a manager rebuilt from state.json (it never enters). */
    protected final CgroupHierarchies host;
    private final CgroupHierarchies.Rmdir rmdir;
    private final boolean rootless;
    private final boolean explicit;
    private Map<String, Path> dirs;
    /** What {@link #destroy} removes: nothing before {@link #enter} made anything. */
    private Map<String, Path> made;
    /**
     * runc's fs2 rootless rule: without cgroupsPath and without a limit to write, no cgroup is
     * made or joined on v2; the init stays in the caller's (a cgroup under a service's own, whose
     * processes keep it from delegating, would refuse it). Known at {@link #check}, for
     * {@link #visibleDirs}; {@link #enter} decides it again from its own resources.
     */
    private boolean noCgroup;

    protected FsManager(CgroupHierarchies host, CgroupHierarchies.Rmdir rmdir, Map<String, Path> dirs, boolean rootless,
            boolean explicit, boolean existing) {
        this.host = host;
        this.rmdir = rmdir;
        this.dirs = new LinkedHashMap<>(dirs);
        this.rootless = rootless;
        this.explicit = explicit;
        this.made = existing ? this.dirs : Map.of();
    }

    @Override
    public Map<String, Path> dirs() {
        return java.util.Collections.unmodifiableMap(dirs);
    }

    @Override
    public void check(Resources resources, Logger logger) throws JruncException {
        ResourcesWriter.validate(host.mounts(), resources);
        noCgroup = noCgroup(resources);
        if (!rootless && !v2()) {
            // runc: a limit of a controller the host does not mount is refused, before anything is made
            RootlessCgroups.checkLimits(resources, dirs, false);
        }
        host.checkExisting(dirs, logger);
    }

    /** runc's fs2 rootless rule (see {@link #noCgroup}), from the resources themselves: enter does not depend on check having run. */
    private boolean noCgroup(Resources resources) {
        return rootless && v2() && !explicit && RootlessCgroups.requested(resources).isEmpty();
    }

    @Override
    public Map<String, Path> visibleDirs() {
        if (!rootless) {
            return dirs();
        }
        // without a cgroup of its own the init is bound from the caller's, which it stays in
        return RootlessCgroups.visible(host.mounts(), dirs, host.own(), explicit,
                noCgroup ? dir -> false : RootlessCgroups::usable);
    }

    @Override
    public void enter(int pid, Resources resources, List<Device> devices) throws JruncException {
        if (noCgroup(resources)) {
            dirs = new LinkedHashMap<>();
            return;
        }
        if (rootless) {
            Map<String, Path> kept = RootlessCgroups.create(host, dirs, explicit);
            made = kept;
            dirs = new LinkedHashMap<>(kept);
            RootlessCgroups.checkLimits(resources, kept, v2());
            writeLimits(RootlessCgroups.withoutDevices(kept), resources, null, true);
            Map<String, Path> joined = RootlessCgroups.join(host, kept, pid, explicit, !v2());
            made = joined;
            dirs = new LinkedHashMap<>(joined);
            RootlessCgroups.checkLimits(resources, joined, v2());
            return;
        }
        host.create(dirs);
        made = dirs;
        // the device rules are always set (runc's default allow list even without linux.resources)
        writeLimits(dirs, resources, devices, true);
        CgroupHierarchies.join(dirs, pid);
    }

    @Override
    public void update(Resources changes, Resources merged, Path stateDir) throws JruncException {
        writeLimits(dirs, changes, null, false);
        updateDevices(merged, stateDir);
    }

    @Override
    public void destroy() throws JruncException {
        Map<String, Path> gone = made;
        made = Map.of();
        CgroupHierarchies.destroy(gone, rmdir);
    }

    /** Whether the limits go to cgroup v2 files. */
    protected abstract boolean v2();

    /**
     * Writes {@code resources} into {@code into}; {@code devices} as in {@link #enter} (null:
     * device rules left alone); {@code fresh}: the directories were just made.
     */
    public abstract void writeLimits(Map<String, Path> into, Resources resources, List<Device> devices, boolean fresh)
            throws JruncException;

    /** {@code update}'s device rules: v2 makes its program again; v1 keeps its files. */
    protected abstract void updateDevices(Resources merged, Path stateDir) throws JruncException;
}
