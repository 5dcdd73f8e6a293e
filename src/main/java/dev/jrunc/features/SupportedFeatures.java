package dev.jrunc.features;

import dev.jrunc.Version;
import dev.jrunc.plan.MountOptions;
import dev.jrunc.plan.SeccompCompiler;
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
 * capability it names works (and is tested). Not claimed yet: cgroup v2 hosts (the v2 writer
 * of linux.resources is tested on a fake tree only), the rdma controller (none on the test host), the user's systemd (rootless
 * {@code --systemd-cgroup} is built but untested: systemdUser false), Intel RDT, the idmap/ridmap mount options, network devices (the plan compiler
 * refuses a config that asks). seccomp lists what runc's {@code features} lists (actions,
 * operators, archs sorted; the flags jrunc knows and, of those, the ones this kernel accepts);
 * AppArmor and SELinux are enabled as in runc (built in: a profile or label is applied where the
 * host has the module, refused where it has not).
 */
public final class SupportedFeatures {
    private SupportedFeatures() {}

    /** Without the kernel probe: no flag is reported as supported. */
    public static Features current() {
        return current(SeccompCompiler.UNAVAILABLE);
    }

    public static Features current(SeccompCompiler.Backend seccomp) {
        Enabled no = new Enabled(false);
        Enabled yes = new Enabled(true);
        LinuxFeatures linux = new LinuxFeatures(
                List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"),
                Capability.ALL,
                new CgroupFeatures(true, false, true, false, false),
                new SeccompFeatures(true, SeccompCompiler.knownActions(), SeccompCompiler.knownOperators(),
                        SeccompCompiler.knownArchs(), SeccompCompiler.knownFlags(), SeccompCompiler.supportedFlags(seccomp)),
                yes,
                yes,
                no,
                new MountExtensions(new Enabled(true)),
                no);
        return new Features("1.0.0", Version.OCI_SPEC, List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                MountOptions.known(), linux,
                Map.of("dev.jrunc.version", Version.JRUNC), List.of());
    }
}
