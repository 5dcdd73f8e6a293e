package dev.jrunc.features;

import dev.jrunc.Version;
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
 * capability it names works (and is tested). Today jrunc validates configs and keeps state; it
 * does not yet start containers, so it claims no hook, mount option, namespace or capability.
 */
public final class SupportedFeatures {
    private SupportedFeatures() {}

    public static Features current() {
        Enabled no = new Enabled(false);
        LinuxFeatures linux = new LinuxFeatures(
                List.of(),
                List.of(),
                new CgroupFeatures(false, false, false, false, false),
                new SeccompFeatures(false, List.of(), List.of(), List.of(), List.of(), List.of()),
                no,
                no,
                no,
                new MountExtensions(no),
                no);
        return new Features("1.0.0", Version.OCI_SPEC, List.of(), List.of(), linux,
                Map.of("dev.jrunc.version", Version.JRUNC), List.of());
    }
}
