package dev.jrunc.features;

import dev.jrunc.Version;
import dev.jrunc.plan.MountOptions;
import dev.jrunc.spec.Capability;
import dev.jrunc.features.model.Features;
import dev.jrunc.features.model.LinuxFeatures;
import dev.jrunc.features.model.LinuxFeatures.CgroupFeatures;
import dev.jrunc.features.model.LinuxFeatures.Enabled;
import dev.jrunc.features.model.LinuxFeatures.MountExtensions;
import dev.jrunc.features.model.LinuxFeatures.SeccompFeatures;
import java.util.List;
import java.util.Map;

/**
 * What this build of jrunc really implements, and nothing more: each list grows only when the
 * capability it names works (and is tested). Not claimed yet: seccomp, cgroup v2 hosts and resource limits, systemd, AppArmor, SELinux,
 * Intel RDT, the idmap/ridmap mount options, network devices (the plan compiler refuses a config that asks).
 */
public final class SupportedFeatures {
    private SupportedFeatures() {}

    public static Features current() {
        Enabled no = new Enabled(false);
        LinuxFeatures linux = new LinuxFeatures(
                List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"),
                Capability.ALL,
                new CgroupFeatures(true, false, false, false, false),
                new SeccompFeatures(false, List.of(), List.of(), List.of(), List.of(), List.of()),
                no,
                no,
                no,
                new MountExtensions(new Enabled(true)),
                no);
        return new Features("1.0.0", Version.OCI_SPEC, List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                MountOptions.known(), linux,
                Map.of("dev.jrunc.version", Version.JRUNC), List.of());
    }
}
