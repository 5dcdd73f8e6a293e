package dev.jrunc.spec.validate;

import dev.jrunc.spec.Capability;
import dev.jrunc.spec.CpuList;
import dev.jrunc.spec.model.BlockIo;
import dev.jrunc.spec.model.DeviceRule;
import dev.jrunc.spec.model.Rdma;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.spec.model.ThrottleDevice;
import dev.jrunc.spec.model.Device;
import dev.jrunc.spec.model.Hook;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.spec.model.IdMapping;
import dev.jrunc.spec.model.Linux;
import dev.jrunc.spec.model.Mount;
import dev.jrunc.spec.model.Namespace;
import dev.jrunc.spec.model.Process;
import dev.jrunc.spec.model.Rlimit;
import dev.jrunc.spec.model.Scheduler;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.sys.IoErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of runtime-spec v1.3 (and of runc, where runc refuses a config) that a JSON Schema
 * cannot say: absolute paths, duplicates, combinations of namespaces and settings, known names.
 * Runs on a document that already passed the schema, so every member has its declared type.
 */
public final class SemanticValidator {
    /** The rlimit names of Linux (getrlimit(2)). */
    private static final Set<String> RLIMITS = Set.of(
            "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_LOCKS",
            "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE", "RLIMIT_NPROC",
            "RLIMIT_RSS", "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK");
    /** The file names under /proc/PID/ns of each namespace type of config.json. */
    private static final Map<String, String> NS_FILES = Map.of(
            "pid", "pid", "network", "net", "mount", "mnt", "ipc", "ipc", "uts", "uts",
            "user", "user", "cgroup", "cgroup", "time", "time");

    private final List<Violation> violations = new ArrayList<>();

    private SemanticValidator() {}

    public static List<Violation> check(Spec spec) {
        SemanticValidator v = new SemanticValidator();
        v.ociVersion(spec.ociVersion());
        v.annotations(spec.annotations());
        v.root(spec);
        v.process(spec.process());
        v.mounts(spec.mounts());
        v.hooks(spec.hooks());
        v.linux(spec);
        v.violations.sort(null);
        return List.copyOf(v.violations);
    }

    private void fail(String pointer, String message) {
        violations.add(new Violation(pointer, message));
    }

    /** SemVer 2.0.0, as the spec requires of ociVersion. */
    private static final java.util.regex.Pattern SEMVER = java.util.regex.Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$");

    private void ociVersion(String version) {
        if (version != null && !SEMVER.matcher(version).matches()) {
            fail("/ociVersion", "must be a SemVer 2.0.0 version, got \"" + version + "\"");
        }
    }

    private void annotations(Map<String, String> annotations) {
        if (annotations != null && annotations.containsKey("")) {
            fail("/annotations/", "annotation keys must not be empty");
        }
    }

    private void root(Spec spec) {
        if (spec.root() == null) {
            fail("/root", "required on Linux: the container's root filesystem");
        } else if (spec.root().path() == null || spec.root().path().isEmpty()) {
            fail("/root/path", "must name the root filesystem directory");
        }
    }

    private void process(Process process) {
        if (process == null) {
            return;
        }
        if (process.args() == null || process.args().isEmpty()) {
            fail("/process/args", "required on Linux: at least the program to run");
        } else if (process.args().get(0).isEmpty()) {
            fail("/process/args/0", "the program to run must not be empty");
        }
        if (process.cwd() != null && !process.cwd().startsWith("/")) {
            fail("/process/cwd", "must be an absolute path, got \"" + process.cwd() + "\"");
        }
        for (int i = 0; process.env() != null && i < process.env().size(); i++) {
            String entry = process.env().get(i);
            if (entry.indexOf('=') <= 0) {
                fail("/process/env/" + i, "must be of the form NAME=VALUE, got \"" + entry + "\"");
            }
        }
        // Unknown capability names are not an error (runtime-spec: logged as a warning, the
        // runtime SHOULD NOT fail); create warns about them, as runc.
        rlimits(process.rlimits());
        if (process.oomScoreAdj() != null && (process.oomScoreAdj() < -1000 || process.oomScoreAdj() > 1000)) {
            fail("/process/oomScoreAdj", "must be between -1000 and 1000");
        }
        if (process.ioPriority() != null && process.ioPriority().priority() != null
                && (process.ioPriority().priority() < 0 || process.ioPriority().priority() > 7)) {
            fail("/process/ioPriority/priority", "invalid ioPriority.Priority: " + process.ioPriority().priority() + " (must be between 0 and 7)");
        }
        scheduler(process.scheduler());
        if (process.execCPUAffinity() != null) {
            cpuList("/process/execCPUAffinity/initial", process.execCPUAffinity().initial());
            cpuList("/process/execCPUAffinity/final", process.execCPUAffinity().finalAffinity());
        }
    }

    /** runc's scheduler rules (libcontainer/configs/validate), with its wording. */
    private void scheduler(Scheduler s) {
        if (s == null || s.policy() == null) {
            return;
        }
        String policy = s.policy();
        int nice = s.nice() == null ? 0 : s.nice();
        if ((policy.equals("SCHED_OTHER") || policy.equals("SCHED_BATCH")) && (nice < -20 || nice > 19)) {
            fail("/process/scheduler/nice", "invalid scheduler.nice: " + nice + " when scheduler.policy is " + policy);
        }
        if (s.priority() != null && s.priority() != 0 && !policy.equals("SCHED_FIFO") && !policy.equals("SCHED_RR")) {
            fail("/process/scheduler/priority", "scheduler.priority can only be specified for SchedFIFO or SchedRR policy");
        }
        if (!policy.equals("SCHED_DEADLINE") && (nz(s.runtime()) != 0 || nz(s.deadline()) != 0 || nz(s.period()) != 0)) {
            fail("/process/scheduler", "scheduler runtime/deadline/period can only be specified for SchedDeadline policy");
        }
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private void cpuList(String at, String list) {
        if (list == null || list.isEmpty()) {
            return;
        }
        try {
            CpuList.parse(list);
        } catch (IllegalArgumentException e) {
            fail(at, e.getMessage());
        }
    }


    private void rlimits(List<Rlimit> rlimits) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; rlimits != null && i < rlimits.size(); i++) {
            Rlimit r = rlimits.get(i);
            String at = "/process/rlimits/" + i;
            if (!RLIMITS.contains(r.type())) {
                fail(at + "/type", "unknown rlimit type \"" + r.type() + "\"");
            } else if (!seen.add(r.type())) {
                fail(at + "/type", "duplicate rlimit type \"" + r.type() + "\"");
            }
            if (r.soft() != null && r.hard() != null && Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                fail(at + "/soft", "must not exceed hard (" + Long.toUnsignedString(r.hard()) + ")");
            }
        }
    }

    private void mounts(List<Mount> mounts) {
        for (int i = 0; mounts != null && i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            String at = "/mounts/" + i;
            if (m.destination() == null || !m.destination().startsWith("/")) {
                fail(at + "/destination", "must be an absolute path, got \"" + m.destination() + "\"");
            }
            boolean uid = m.uidMappings() != null && !m.uidMappings().isEmpty();
            boolean gid = m.gidMappings() != null && !m.gidMappings().isEmpty();
            if (uid != gid) {
                fail(at + (uid ? "/gidMappings" : "/uidMappings"), "an idmapped mount needs both uidMappings and gidMappings");
            }
            mappings(at + "/uidMappings", m.uidMappings());
            mappings(at + "/gidMappings", m.gidMappings());
        }
    }

    private void hooks(Hooks hooks) {
        if (hooks == null) {
            return;
        }
        hookList("prestart", hooks.prestart());
        hookList("createRuntime", hooks.createRuntime());
        hookList("createContainer", hooks.createContainer());
        hookList("startContainer", hooks.startContainer());
        hookList("poststart", hooks.poststart());
        hookList("poststop", hooks.poststop());
    }

    private void hookList(String phase, List<Hook> list) {
        for (int i = 0; list != null && i < list.size(); i++) {
            Hook h = list.get(i);
            String at = "/hooks/" + phase + "/" + i;
            if (h.path() == null || !h.path().startsWith("/")) {
                fail(at + "/path", "must be an absolute path, got \"" + h.path() + "\"");
            }
            if (h.timeout() != null && h.timeout() <= 0) {
                fail(at + "/timeout", "must be greater than zero");
            }
        }
    }

    private void linux(Spec spec) {
        Linux linux = spec.linux();
        Map<String, Integer> namespaces = new HashMap<>();
        if (linux != null && linux.namespaces() != null) {
            for (int i = 0; i < linux.namespaces().size(); i++) {
                Namespace ns = linux.namespaces().get(i);
                String at = "/linux/namespaces/" + i;
                if (!NS_FILES.containsKey(ns.type())) {
                    fail(at + "/type", "unknown namespace type \"" + ns.type() + "\"");
                    continue;
                }
                if (namespaces.putIfAbsent(ns.type(), i) != null) {
                    fail(at + "/type", "duplicate namespace type \"" + ns.type() + "\"");
                }
                if (ns.path() != null) {
                    namespacePath(at + "/path", ns);
                }
            }
        }
        boolean newUts = namespaces.containsKey("uts");
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !newUts) {
            fail("/hostname", "unable to set hostname without a private UTS namespace"); // runc's words
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty() && !newUts) {
            fail("/domainname", "unable to set domainname without a private UTS namespace");
        }
        if (linux == null) {
            return;
        }
        boolean userns = namespaces.containsKey("user");
        boolean uidMaps = linux.uidMappings() != null && !linux.uidMappings().isEmpty();
        boolean gidMaps = linux.gidMappings() != null && !linux.gidMappings().isEmpty();
        Integer userAt = namespaces.get("user");
        boolean joinsUserns = userAt != null && linux.namespaces().get(userAt).path() != null;
        if (userns && !joinsUserns && !uidMaps) {
            fail("/linux/uidMappings", "a new user namespace needs uid mappings");
        }
        if (userns && !joinsUserns && !gidMaps) {
            fail("/linux/gidMappings", "a new user namespace needs gid mappings");
        }
        if (!userns && uidMaps) {
            fail("/linux/uidMappings", "uid mappings need a user namespace in /linux/namespaces");
        }
        if (!userns && gidMaps) {
            fail("/linux/gidMappings", "gid mappings need a user namespace in /linux/namespaces");
        }
        mappings("/linux/uidMappings", linux.uidMappings());
        mappings("/linux/gidMappings", linux.gidMappings());
        // runc's rules and wording: offsets need a new time namespace (an empty object too)
        Integer timeAt = namespaces.get("time");
        if (linux.timeOffsets() != null && timeAt == null) {
            fail("/linux/timeOffsets", "time namespace offsets specified, but time namespace isn't enabled in the config");
        } else if (linux.timeOffsets() != null && linux.namespaces().get(timeAt).path() != null
                && !linux.namespaces().get(timeAt).path().isEmpty()) {
            fail("/linux/timeOffsets", "time namespace enabled, but both namespace path and time offsets specified -- you may only provide one");
        }
        for (String key : linux.timeOffsets() == null ? Set.<String>of() : linux.timeOffsets().keySet()) {
            if (!key.equals("monotonic") && !key.equals("boottime")) {
                fail("/linux/timeOffsets/" + key, "unknown clock: must be \"monotonic\" or \"boottime\"");
            }
        }
        sysctl(linux, namespaces);
        resources(linux.resources());
        if (linux.seccomp() != null && linux.seccomp().listenerMetadata() != null && linux.seccomp().listenerPath() == null) {
            fail("/linux/seccomp/listenerMetadata", "needs /linux/seccomp/listenerPath");
        }
        if (linux.personality() != null && linux.personality().domain() == null) {
            fail("/linux/personality/domain", "required: LINUX or LINUX32");
        }
        devices(linux.devices());
        paths("/linux/maskedPaths", linux.maskedPaths());
        paths("/linux/readonlyPaths", linux.readonlyPaths());
        if (linux.netDevices() != null && !linux.netDevices().isEmpty() && !namespaces.containsKey("network")) {
            fail("/linux/netDevices", "moving network devices needs a network namespace in /linux/namespaces");
        }
    }

    /**
     * A namespace joined by path must be absolute and, when it exists and is a /proc ns link,
     * of the declared type (bind-mounted ns files are checked when the container is created).
     */
    private void namespacePath(String at, Namespace ns) {
        String path = ns.path();
        if (!path.startsWith("/")) {
            fail(at, "must be an absolute path, got \"" + path + "\"");
            return;
        }
        try {
            Path p = Path.of(path);
            if (Files.isSymbolicLink(p)) {
                String target = Files.readSymbolicLink(p).toString();
                int colon = target.indexOf(':');
                String type = colon > 0 ? target.substring(0, colon) : target;
                if (!type.equals(NS_FILES.get(ns.type()))) {
                    fail(at, "\"" + path + "\" is a " + type + " namespace, not " + ns.type());
                }
            } else if (!Files.exists(p)) {
                fail(at, "namespace path \"" + path + "\" does not exist");
            }
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            fail(at, "cannot inspect namespace path \"" + path + "\": " + IoErrors.reason(e));
        }
    }

    private void mappings(String at, List<IdMapping> mappings) {
        for (int i = 0; mappings != null && i < mappings.size(); i++) {
            IdMapping m = mappings.get(i);
            if (m.size() != null && m.size() == 0) {
                fail(at + "/" + i + "/size", "must be greater than zero");
            }
        }
    }

    /**
     * runc's rule: a sysctl is allowed only when the container has its own namespace of the
     * sysctl's kind (ipc, network, uts); any other sysctl is global, and writing it from the
     * container would change the host. runc's messages.
     */
    private void sysctl(Linux linux, Map<String, Integer> namespaces) {
        if (linux.sysctl() == null) {
            return;
        }
        for (String key : linux.sysctl().keySet()) {
            String at = "/linux/sysctl/" + Violation.escape(key);
            String name = key.replace('/', '.');
            if (name.startsWith("kernel.msg") || name.startsWith("kernel.sem") || name.startsWith("kernel.shm")
                    || name.startsWith("fs.mqueue.")) {
                if (!namespaces.containsKey("ipc")) {
                    fail(at, "sysctl \"" + key + "\" is not allowed in the hosts ipc namespace");
                }
            } else if (name.startsWith("net.")) {
                Integer net = namespaces.get("network");
                if (net == null) {
                    fail(at, "sysctl \"" + key + "\" is not allowed in the hosts network namespace");
                } else if (isHostNamespace(linux.namespaces().get(net).path(), "net")) {
                    fail(at, "sysctl \"" + key + "\" not allowed in host network namespace");
                }
            } else if (name.equals("kernel.domainname") && namespaces.containsKey("uts")) {
                continue;
            } else if (name.equals("kernel.hostname") && namespaces.containsKey("uts")) {
                fail(at, "sysctl \"" + key + "\" is not allowed as it conflicts with the OCI \"hostname\" field");
            } else {
                fail(at, "sysctl \"" + key + "\" is not in a separate kernel namespace");
            }
        }
    }

    /** A joined namespace path that is this process's own namespace (runc's check for net sysctls). */
    private static boolean isHostNamespace(String path, String nsFile) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        try {
            return Files.getAttribute(Path.of(path), "unix:ino").equals(Files.getAttribute(Path.of("/proc/self/ns/" + nsFile), "unix:ino"))
                    && Files.getAttribute(Path.of(path), "unix:dev").equals(Files.getAttribute(Path.of("/proc/self/ns/" + nsFile), "unix:dev"));
        } catch (java.io.IOException | java.nio.file.InvalidPathException | UnsupportedOperationException e) {
            return false; // a missing or odd path is reported by namespacePath
        }
    }

    private void devices(List<Device> devices) {
        for (int i = 0; devices != null && i < devices.size(); i++) {
            Device d = devices.get(i);
            String at = "/linux/devices/" + i;
            if (d.path() == null || !d.path().startsWith("/")) {
                fail(at + "/path", "must be an absolute path, got \"" + d.path() + "\"");
            }
            if (!"p".equals(d.type()) && (d.major() == null || d.minor() == null)) {
                fail(at + (d.major() == null ? "/major" : "/minor"), "required for a device of type \"" + d.type() + "\"");
            }
        }
    }

    private void resources(Resources r) {
        if (r == null) {
            return;
        }
        for (int i = 0; r.devices() != null && i < r.devices().size(); i++) {
            DeviceRule rule = r.devices().get(i);
            String at = "/linux/resources/devices/" + i;
            if (rule.type() != null && !List.of("a", "c", "b").contains(rule.type())) {
                fail(at + "/type", "must be \"a\", \"c\" or \"b\", got \"" + rule.type() + "\"");
            }
            if (rule.access() != null && !rule.access().matches("[rwm]*")) {
                fail(at + "/access", "must be made of r, w and m, got \"" + rule.access() + "\"");
            }
        }
        // 2^64-1 is -1 written as uint64: "leave the kernel's default", as runc reads it
        if (r.memory() != null && r.memory().swappiness() != null && r.memory().swappiness() != -1L
                && Long.compareUnsigned(r.memory().swappiness(), 100) > 0) {
            fail("/linux/resources/memory/swappiness", "must be between 0 and 100");
        }
        if (r.blockIO() != null) {
            BlockIo b = r.blockIO();
            for (int i = 0; b.weightDevice() != null && i < b.weightDevice().size(); i++) {
                if (b.weightDevice().get(i).weight() == null && b.weightDevice().get(i).leafWeight() == null) {
                    fail("/linux/resources/blockIO/weightDevice/" + i, "needs weight or leafWeight");
                }
            }
            throttles("throttleReadBpsDevice", b.throttleReadBpsDevice());
            throttles("throttleWriteBpsDevice", b.throttleWriteBpsDevice());
            throttles("throttleReadIOPSDevice", b.throttleReadIOPSDevice());
            throttles("throttleWriteIOPSDevice", b.throttleWriteIOPSDevice());
        }
        if (r.rdma() != null) {
            for (Map.Entry<String, Rdma> e : r.rdma().entrySet()) {
                if (e.getValue().hcaHandles() == null && e.getValue().hcaObjects() == null) {
                    fail("/linux/resources/rdma/" + Violation.escape(e.getKey()), "needs hcaHandles or hcaObjects");
                }
            }
        }
    }

    private void throttles(String name, List<ThrottleDevice> list) {
        for (int i = 0; list != null && i < list.size(); i++) {
            if (list.get(i).rate() == null) {
                fail("/linux/resources/blockIO/" + name + "/" + i + "/rate", "required");
            }
        }
    }

    private void paths(String at, List<String> paths) {
        for (int i = 0; paths != null && i < paths.size(); i++) {
            if (!paths.get(i).startsWith("/")) {
                fail(at + "/" + i, "must be an absolute path, got \"" + paths.get(i) + "\"");
            }
        }
    }
}
