package dev.jrunc.cgroups.systemd;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.CgroupDriver;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.cgroups.CgroupManager;
import dev.jrunc.cgroups.CgroupMount;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.cgroups.fs.FsManager;
import dev.jrunc.cgroups.fs.FsV1Manager;
import dev.jrunc.cgroups.fs.FsV2Manager;
import dev.jrunc.log.Logger;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.sys.Syscalls;
import dev.jrunc.cgroups.DeviceRules;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The systemd cgroup driver ({@code --systemd-cgroup}): the container's cgroup is a transient
 * unit (a scope, or a slice) that systemd makes with the container's pid in it, delegated to
 * jrunc. The limits systemd has properties for are given as unit properties; then, as runc's
 * driver calls its fs manager's Set, every limit is also written through the cgroupfs driver
 * into the unit's cgroup, so what systemd has no property for (memory.high, unified, the device
 * program, ...) is set too. On v1 the hierarchies systemd does not manage are made and joined
 * by the fs driver.
 *
 * <p>Each call connects to systemd anew (a connection is a few hundred bytes each way); the
 * cgroupfs path never loads this package.
 */
public final class SystemdManager implements CgroupManager {
    private final boolean v2;
    private final boolean rootless;
    private final String unit;
    /** The unit's name, parent and description; null for a manager rebuilt from state.json. */
    private final UnitPath path;
    private final CgroupHierarchies host;
    private final FsManager fs;
    private final Map<String, Path> dirs;
    /** The {@code org.systemd.property.*} annotations' properties, given after jrunc's own when the unit starts. */
    private final List<Property> extra;
    /** True once systemd has a job for the unit (it is then ours to stop). */
    private boolean started;
    /** Where the device mapping's warnings go (create's logger, given to {@link #check}). */
    private Logger logger;

    private SystemdManager(boolean v2, boolean rootless, String unit, UnitPath path, CgroupHierarchies host, FsManager fs,
            Map<String, Path> dirs, boolean started, List<Property> extra) {
        this.v2 = v2;
        this.extra = List.copyOf(extra);
        this.rootless = rootless;
        this.unit = unit;
        this.path = path;
        this.host = host;
        this.fs = fs;
        this.dirs = Collections.unmodifiableMap(new LinkedHashMap<>(dirs));
        this.started = started;
    }

    /**
     * The manager of a container being created: the cgroupsPath in runc's systemd form (refused
     * in runc's words before anything is made) and the unit's directory in every hierarchy
     * (rootless: under the user manager's own cgroup, which is asked for). {@code extra}: the
     * properties of the config's {@code org.systemd.property.*} annotations ({@link SystemdAnnotations}).
     */
    public static SystemdManager forCreate(Syscalls sys, CgroupHierarchies host, String cgroupsPath, String id, boolean rootless,
            List<Property> extra) throws JruncException {
        UnitPath path = UnitPath.parse(cgroupsPath, id, rootless);
        // runc's test for a running systemd, after the config's annotations and cgroupsPath as in runc
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            throw new JruncException("systemd not running on this host, cannot use systemd cgroups manager");
        }
        boolean v2 = !ResourcesWriter.v1(host.mounts());
        if (rootless && !v2) {
            throw new JruncException("systemd: rootless containers need cgroup v2 (the user's systemd does not delegate v1 controllers)");
        }
        String base = "";
        if (rootless) {
            try (Systemd systemd = Systemd.connect(true)) {
                base = String.valueOf(systemd.managerProperty("ControlGroup"));
            }
        }
        Map<String, Path> dirs = dirs(host.mounts(), base, path.cgroup());
        FsManager fs = v2 ? new FsV2Manager(sys, host, host.rmdir(), dirs, rootless, true, true)
                : new FsV1Manager(host, host.rmdir(), dirs, rootless, true, true);
        return new SystemdManager(v2, rootless, path.unit(), path, host, fs, dirs, false, extra);
    }

    /** The manager of an existing container from the directories state.json records; the unit is their name. */
    public static SystemdManager forRecord(Syscalls sys, boolean v2, boolean rootless, Map<String, Path> dirs,
            CgroupHierarchies.Rmdir rmdir) {
        FsManager fs = v2 ? new FsV2Manager(sys, null, rmdir, dirs, rootless, true, true)
                : new FsV1Manager(null, rmdir, dirs, rootless, true, true);
        String unit = dirs.values().stream().findFirst().map(d -> d.getFileName().toString()).orElse("");
        return new SystemdManager(v2, rootless, unit, null, null, fs, dirs, true, List.of());
    }

    /**
     * The unit's directory in each mounted hierarchy: {@code MOUNT/BASE/expanded-slice/unit}
     * ({@code BASE} the user manager's own cgroup when rootless, else empty).
     */
    static Map<String, Path> dirs(List<CgroupMount> mounts, String base, String cgroup) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        String rel = (base + cgroup).replaceAll("^/+", "");
        for (CgroupMount m : mounts) {
            dirs.put(m.key(), m.mountPoint().resolve(rel));
        }
        return dirs;
    }

    @Override
    public CgroupDriver driver() {
        return v2 ? CgroupDriver.SYSTEMD_V2 : CgroupDriver.SYSTEMD_V1;
    }

    @Override
    public Map<String, Path> dirs() {
        return dirs;
    }

    /** The unit's name. */
    public String unit() {
        return unit;
    }

    @Override
    public void check(Resources resources, Logger logger) throws JruncException {
        this.logger = logger;
        fs.check(resources, logger);
    }

    /**
     * Starts the unit with {@code pid} in it and the properties of {@code resources} (waiting
     * for its job): jrunc's own, then the annotations' (a name given twice: systemd keeps the
     * later, so an annotation overrides runc's fixed ones), then the resources' and devices'
     * (which runc sets after the start, so they win over an annotation of the same name); then
     * writes every limit into its cgroup and, on v1, makes and joins what systemd does not manage.
     */
    @Override
    public void enter(int pid, Resources resources, List<Device> devices) throws JruncException {
        List<Property> props = new ArrayList<>(UnitProperties.base(path, path.name(), pid, v2));
        props.addAll(extra);
        try (Systemd systemd = Systemd.connect(rootless)) {
            props.addAll(resourceProperties(systemd, resources));
            props.addAll(deviceProperties(resources, devices));
            systemd.startUnit(unit, props, () -> started = true);
        }
        if (!v2) {
            host.create(dirs);
        }
        // rootless: no device program (attaching one needs CAP_SYS_ADMIN; the user namespace
        // keeps the devices out), as the rootless cgroupfs driver
        fs.writeLimits(dirs, resources, rootless ? null : devices, true);
        CgroupHierarchies.join(dirs, pid);
    }

    /** {@code update}: the unit's properties from the whole new config (as runc's Set), then the fs writes. */
    @Override
    public void update(Resources changes, Resources merged, Path stateDir) throws JruncException {
        try (Systemd systemd = Systemd.connect(rootless)) {
            systemd.setProperties(unit, resourceProperties(systemd, merged));
        }
        fs.update(changes, merged, stateDir);
    }

    /** Stops {@code unit} and waits for its job (delete --force of a container create left half-made). */
    public static void stopUnit(String unit, boolean rootless) throws JruncException {
        try (Systemd systemd = Systemd.connect(rootless)) {
            systemd.stopUnit(unit);
        }
    }

    /** Stops the unit (systemd removes its cgroup), then removes whatever directory is left. */
    @Override
    public void destroy() throws JruncException {
        JruncException failure = null;
        if (started) {
            try (Systemd systemd = Systemd.connect(rootless)) {
                systemd.stopUnit(unit);
                started = false;
            } catch (JruncException e) {
                failure = e;
            }
            fs.destroy();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * DevicePolicy and DeviceAllow from the container's device rules, as runc gives them. What
     * systemd cannot say is logged at debug level, where runc warns: jrunc's own eBPF program
     * enforces the exact rules anyway, and a warning on stderr reaches the output engines show
     * (podman prints it with the container's output; a host without /dev/net/tun gets one on
     * every create). Not rootless: jrunc gives no device
     * rules there (the user namespace keeps the devices out), nor on update (devices do not change).
     */
    private List<Property> deviceProperties(Resources resources, List<Device> devices) throws JruncException {
        if (rootless) {
            return List.of();
        }
        String procDevices;
        try {
            procDevices = Files.readString(Path.of("/proc/devices"));
        } catch (IOException e) {
            throw new JruncException("reading /proc/devices: " + IoErrors.reason(e), e);
        }
        Logger log = logger;
        return DeviceProperties.of(DeviceRules.effective(resources == null ? null : resources.devices(), devices), procDevices,
                p -> Files.exists(Path.of(p)), w -> {
                    if (log != null) {
                        log.debug(w);
                    }
                });
    }

    private List<Property> resourceProperties(Systemd systemd, Resources resources) throws JruncException {
        int version = systemd.version();
        return v2 ? UnitProperties.v2(resources, version) : UnitProperties.v1(resources, version);
    }
}
