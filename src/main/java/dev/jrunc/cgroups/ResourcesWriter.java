package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.v1.V1Resources;
import dev.jrunc.cgroups.v2.DeviceFilter;
import dev.jrunc.cgroups.v2.DeviceProgram;
import dev.jrunc.cgroups.v2.V2Resources;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.sys.Syscalls;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Picks the writer of the host: v1 when any v1 hierarchy has a resource controller (hybrid
 * hosts like the development VM, whose cgroup2 has none), else v2 in the unified hierarchy.
 */
public final class ResourcesWriter {
    private ResourcesWriter() {}

    /** True when the limits go to cgroup v1 files. */
    public static boolean v1(List<CgroupMount> mounts) {
        for (CgroupMount m : mounts) {
            if (m.version() == 1 && m.controllers().stream().anyMatch(c -> !c.startsWith("name="))) {
                return true;
            }
        }
        return false;
    }

    /**
     * runc's validation of the resources against the host, before anything is made:
     * {@code unified} (cgroup v2 files, even an empty map) needs a cgroup v2 host.
     */
    public static void validate(List<CgroupMount> mounts, Resources r) throws JruncException {
        if (r != null && r.unified() != null && v1(mounts)) {
            throw new JruncException("invalid configuration: cannot use unified on cgroup v1");
        }
    }

    /** The v1 files of every hierarchy in {@code dirs}. */
    public static void applyV1(Map<String, Path> dirs, Resources r, List<Device> devices) throws JruncException {
        // runc: a limit of a controller the container has no directory of (one the host
        // does not mount) is refused, not dropped; checked before anything is written
        RootlessCgroups.checkLimits(r, dirs, false);
        new V1Resources(dirs).apply(r, devices);
    }

    /** The v2 files of the unified directory, and its device program when {@code devices} is not null. */
    public static void applyV2(Syscalls sys, List<CgroupMount> mounts, Map<String, Path> dirs, Resources r, List<Device> devices,
            boolean fresh) throws JruncException {
        Path dir = dirs.get(CgroupMount.UNIFIED);
        if (dir == null) {
            return;
        }
        // compiled before anything is written: rules the emulator refuses change nothing
        byte[] program = devices == null ? null : DeviceFilter.compile(DeviceRules.effective(r == null ? null : r.devices(), devices));
        if (fresh) {
            for (CgroupMount m : mounts) {
                if (m.version() == 2) {
                    V2Resources.enableControllers(m.mountPoint(), dir);
                }
            }
        }
        new V2Resources(dir).apply(r);
        if (program != null) {
            attachDevices(sys, dir, program, r, devices);
        }
    }

    /**
     * {@code update} on v2: runc's update sets the container's whole cgroup config again, so its
     * device program is made anew from the stored rules and replaces the attached one. (v1 keeps
     * its devices files as they are: the rules cannot change at update.)
     */
    public static void updateDevicesV2(Syscalls sys, Map<String, Path> dirs, Resources stored, Path stateDir) throws JruncException {
        Path dir = dirs.get(CgroupMount.UNIFIED);
        if (dir == null) {
            return;
        }
        // the config's linux.devices, read only here: v1 never needs them at update
        List<Device> all = ResourcesStore.linuxDevices(stateDir);
        attachDevices(sys, dir, DeviceFilter.compile(DeviceRules.effective(stored == null ? null : stored.devices(), all)), stored, all);
    }

    private static void attachDevices(Syscalls sys, Path dir, byte[] program, Resources r, List<Device> devices) throws JruncException {
        try {
            DeviceProgram.apply(sys, dir, program);
        } catch (JruncException e) {
            if (!canSkipDeviceError(DeviceRules.effective(r == null ? null : r.devices(), devices))) {
                throw e;
            }
        }
    }

    /**
     * runc's canSkipEBPFError: in a user namespace (where bpf(2) is usually refused), or when
     * every rule allows everything it names (rwm), a failure to load the program is ignored.
     */
    static boolean canSkipDeviceError(List<DeviceRules.Rule> rules) {
        if (inUserNamespace()) {
            return true;
        }
        for (DeviceRules.Rule rule : rules) {
            if (!rule.allow() || !rule.access().equals("rwm")) {
                return false;
            }
        }
        return true;
    }

    private static boolean inUserNamespace() {
        try {
            String map = java.nio.file.Files.readString(Path.of("/proc/self/uid_map")).trim();
            return !map.matches("0\\s+0\\s+4294967295");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
