package dev.jrunc.cgroups.fs;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.CgroupDriver;
import dev.jrunc.cgroups.CgroupHierarchies;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The cgroupfs driver on a v1 host, hybrid hosts included: one directory per v1 hierarchy. */
public final class FsV1Manager extends FsManager {
    public FsV1Manager(CgroupHierarchies host, CgroupHierarchies.Rmdir rmdir, Map<String, Path> dirs, boolean rootless,
            boolean explicit, boolean existing) {
        super(host, rmdir, dirs, rootless, explicit, existing);
    }

    @Override
    public CgroupDriver driver() {
        return CgroupDriver.FS_V1;
    }

    @Override
    protected boolean v2() {
        return false;
    }

    @Override
    public void writeLimits(Map<String, Path> into, Resources resources, List<Device> devices, boolean fresh) throws JruncException {
        ResourcesWriter.applyV1(into, resources, devices);
    }

    @Override
    protected void updateDevices(Resources merged, Path stateDir) {
        // v1 device files stay as create wrote them: the rules cannot change at update
    }
}
