package dev.jrunc.features.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The {@code linux} member of features.json. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"namespaces", "capabilities", "cgroup", "seccomp", "apparmor", "selinux", "intelRdt",
        "mountExtensions", "netDevices", "memoryPolicy"})
public record LinuxFeatures(
        List<String> namespaces,
        List<String> capabilities,
        CgroupFeatures cgroup,
        SeccompFeatures seccomp,
        Enabled apparmor,
        Enabled selinux,
        Enabled intelRdt,
        MountExtensions mountExtensions,
        Enabled netDevices) {

    /** {@code {"enabled": bool}}, the shape of several features.json members. */
    public record Enabled(Boolean enabled) {}

    /** {@code linux.cgroup}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CgroupFeatures(Boolean v1, Boolean v2, Boolean systemd, Boolean systemdUser, Boolean rdma) {}

    /** {@code linux.seccomp}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"enabled", "actions", "operators", "archs", "knownFlags", "supportedFlags"})
    public record SeccompFeatures(Boolean enabled, List<String> actions, List<String> operators, List<String> archs,
            List<String> knownFlags, List<String> supportedFlags) {}

    /** {@code linux.mountExtensions}. */
    public record MountExtensions(Enabled idmap) {}
}
