package dev.jrunc.cgroups.fs;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.CgroupDriver;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.sys.Syscalls;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The cgroupfs driver on a cgroup v2 host: the unified directory, its controllers enabled along
 * the path, device rules as an eBPF program.
 */
public final class FsV2Manager extends FsManager {
    private final Syscalls sys;

    public FsV2Manager(Syscalls sys, CgroupHierarchies host, CgroupHierarchies.Rmdir rmdir, Map<String, Path> dirs,
            boolean rootless, boolean explicit, boolean existing) {
        super(host, rmdir, dirs, rootless, explicit, existing);
        this.sys = sys;
    }

    @Override
    public CgroupDriver driver() {
        return CgroupDriver.FS_V2;
    }

    @Override
    protected boolean v2() {
        return true;
    }

    @Override
    public void writeLimits(Map<String, Path> into, Resources resources, List<Device> devices, boolean fresh) throws JruncException {
        ResourcesWriter.applyV2(sys, host == null ? List.of() : host.mounts(), into, resources, devices, fresh);
    }

    @Override
    protected void updateDevices(Resources merged, Path stateDir) throws JruncException {
        // runc's update sets the whole cgroup config again: the program is made anew and replaces the attached one
        ResourcesWriter.updateDevicesV2(sys, dirs(), merged, stateDir);
    }
}
