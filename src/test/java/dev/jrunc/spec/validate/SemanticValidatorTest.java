package dev.jrunc.spec.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.spec.SpecReader;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SemanticValidatorTest {

    private static List<Violation> check(Consumer<ObjectNode> change) throws Exception {
        ObjectNode spec = SpecGenerator.defaultSpec();
        change.accept(spec);
        return SemanticValidator.check(SpecReader.toSpec(spec));
    }

    private static void assertOnly(String pointer, String fragment, List<Violation> violations) {
        assertEquals(1, violations.size(), violations.toString());
        assertEquals(pointer, violations.get(0).pointer());
        assertTrue(violations.get(0).message().contains(fragment), violations.get(0).message());
    }

    private static ObjectNode linux(ObjectNode spec) {
        return (ObjectNode) spec.get("linux");
    }

    private static ObjectNode process(ObjectNode spec) {
        return (ObjectNode) spec.get("process");
    }

    @Test
    void defaultAndRootlessSpecsAreValid() throws Exception {
        assertEquals(List.of(), SemanticValidator.check(SpecReader.toSpec(SpecGenerator.defaultSpec())));
        assertEquals(List.of(), SemanticValidator.check(SpecReader.toSpec(SpecGenerator.rootlessSpec(1000, 1000))));
    }

    @Test
    void relativeCwd() throws Exception {
        assertOnly("/process/cwd", "absolute", check(s -> process(s).put("cwd", "tmp")));
    }

    @Test
    void emptyProgram() throws Exception {
        assertOnly("/process/args/0", "empty", check(s -> ((ArrayNode) process(s).get("args")).set(0, "")));
    }

    @Test
    void envWithoutEquals() throws Exception {
        assertOnly("/process/env/1", "NAME=VALUE", check(s -> ((ArrayNode) process(s).get("env")).set(1, "TERM")));
    }

    @Test
    void unknownCapabilityIsNotAViolation() throws Exception {
        // runtime-spec: logged as a warning, the runtime SHOULD NOT fail (create warns)
        assertEquals(List.of(), check(s -> ((ArrayNode) process(s).get("capabilities").get("bounding")).set(1, "CAP_FLY")));
    }

    @Test
    void duplicateAndUnknownRlimits() throws Exception {
        assertOnly("/process/rlimits/1/type", "duplicate", check(s -> ((ArrayNode) process(s).get("rlimits"))
                .addObject().put("type", "RLIMIT_NOFILE").put("hard", 1).put("soft", 1)));
        assertOnly("/process/rlimits/0/type", "RLIMIT_FOO", check(s -> ((ObjectNode) process(s).get("rlimits").get(0))
                .put("type", "RLIMIT_FOO")));
        assertOnly("/process/rlimits/0/soft", "hard", check(s -> ((ObjectNode) process(s).get("rlimits").get(0))
                .put("soft", 2048)));
    }

    @Test
    void relativeMountDestination() throws Exception {
        assertOnly("/mounts/0/destination", "absolute", check(s -> ((ObjectNode) s.get("mounts").get(0)).put("destination", "proc")));
    }

    @Test
    void duplicateNamespace() throws Exception {
        assertOnly("/linux/namespaces/6/type", "duplicate", check(s -> ((ArrayNode) linux(s).get("namespaces"))
                .addObject().put("type", "pid")));
    }

    @Test
    void unknownNamespace() throws Exception {
        assertOnly("/linux/namespaces/6/type", "unknown", check(s -> ((ArrayNode) linux(s).get("namespaces"))
                .addObject().put("type", "bogus")));
    }

    @Test
    void userNamespaceWithoutMappings() throws Exception {
        List<Violation> v = check(s -> ((ArrayNode) linux(s).get("namespaces")).addObject().put("type", "user"));
        assertEquals(List.of("/linux/gidMappings", "/linux/uidMappings"), v.stream().map(Violation::pointer).toList());
    }

    @Test
    void mappingsWithoutUserNamespace() throws Exception {
        ObjectNode rootless = SpecGenerator.rootlessSpec(0, 0);
        ArrayNode ns = (ArrayNode) linux(rootless).get("namespaces");
        ns.remove(ns.size() - 1);
        List<Violation> v = SemanticValidator.check(SpecReader.toSpec(rootless));
        assertEquals(List.of("/linux/gidMappings", "/linux/uidMappings"), v.stream().map(Violation::pointer).toList());
    }

    @Test
    void namespacePathOfTheWrongType() throws Exception {
        assertOnly("/linux/namespaces/2/path", "is a net namespace, not ipc",
                check(s -> ((ObjectNode) linux(s).get("namespaces").get(2)).put("path", "/proc/self/ns/net")));
    }

    @Test
    void namespacePathOfTheRightTypeIsAccepted() throws Exception {
        assertEquals(List.of(), check(s -> ((ObjectNode) linux(s).get("namespaces").get(2)).put("path", "/proc/self/ns/ipc")));
    }

    @Test
    void relativeAndMissingNamespacePaths() throws Exception {
        assertOnly("/linux/namespaces/0/path", "absolute",
                check(s -> ((ObjectNode) linux(s).get("namespaces").get(0)).put("path", "proc/1/ns/pid")));
        assertOnly("/linux/namespaces/0/path", "does not exist",
                check(s -> ((ObjectNode) linux(s).get("namespaces").get(0)).put("path", "/nonexistent/ns")));
    }

    @Test
    void hostnameNeedsUtsNamespace() throws Exception {
        assertOnly("/hostname", "unable to set hostname without a private UTS namespace", check(s -> {
            ArrayNode ns = (ArrayNode) linux(s).get("namespaces");
            for (int i = ns.size() - 1; i >= 0; i--) {
                if (ns.get(i).get("type").asText().equals("uts")) {
                    ns.remove(i);
                }
            }
        }));
    }

    @Test
    void netSysctlNeedsNetworkNamespace() throws Exception {
        assertOnly("/linux/sysctl/net.ipv4.ip_forward", "network", check(s -> {
            linux(s).putObject("sysctl").put("net.ipv4.ip_forward", "1");
            ArrayNode ns = (ArrayNode) linux(s).get("namespaces");
            ns.remove(1);
        }));
    }

    @Test
    void globalSysctlsAreRefusedAsRuncDoes() throws Exception {
        // vm.swappiness is not namespaced: writing it in the container would change the host's.
        assertOnly("/linux/sysctl/vm.swappiness", "sysctl \"vm.swappiness\" is not in a separate kernel namespace",
                check(s -> linux(s).putObject("sysctl").put("vm.swappiness", "1")));
        assertOnly("/linux/sysctl/kernel.hostname", "conflicts with the OCI \"hostname\" field",
                check(s -> linux(s).putObject("sysctl").put("kernel.hostname", "x")));
        assertOnly("/linux/sysctl/kernel.shmmax", "sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace", check(s -> {
            linux(s).putObject("sysctl").put("kernel.shmmax", "1");
            ((ArrayNode) linux(s).get("namespaces")).remove(2); // ipc
        }));
        assertOnly("/linux/sysctl/net.ipv4.ip_forward", "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace", check(s -> {
            linux(s).putObject("sysctl").put("net.ipv4.ip_forward", "1");
            ((ObjectNode) linux(s).get("namespaces").get(1)).put("path", "/proc/self/ns/net");
        }));
        assertEquals(List.of(), check(s -> linux(s).putObject("sysctl").put("kernel.domainname", "x")
                .put("kernel.shmmax", "1").put("fs.mqueue.msg_max", "1").put("net.ipv4.ip_forward", "1")));
    }

    @Test
    void timeOffsetsNeedTimeNamespace() throws Exception {
        assertOnly("/linux/timeOffsets", "time namespace offsets specified, but time namespace isn't enabled in the config",
                check(s -> linux(s).putObject("timeOffsets").putObject("monotonic").put("secs", 1).put("nanosecs", 0)));
        // runc: any timeOffsets object counts, even an empty one
        assertOnly("/linux/timeOffsets", "isn't enabled", check(s -> linux(s).putObject("timeOffsets")));
        // a new time namespace takes offsets
        assertEquals(List.of(), check(s -> {
            ((ArrayNode) linux(s).get("namespaces")).addObject().put("type", "time");
            linux(s).putObject("timeOffsets").putObject("boottime").put("secs", -5);
        }));
    }

    @Test
    void timeOffsetsAndAJoinedTimeNamespace() throws Exception {
        assertOnly("/linux/timeOffsets", "time namespace enabled, but both namespace path and time offsets specified -- you may only provide one",
                check(s -> {
                    ((ArrayNode) linux(s).get("namespaces")).addObject().put("type", "time").put("path", "/proc/self/ns/time");
                    linux(s).putObject("timeOffsets").putObject("monotonic").put("secs", 1);
                }));
    }

    @Test
    void schedulerRulesOfRunc() throws Exception {
        assertEquals(List.of(), check(s -> process(s).putObject("scheduler").put("policy", "SCHED_FIFO").put("priority", 50)));
        assertEquals(List.of(), check(s -> process(s).putObject("scheduler").put("policy", "SCHED_DEADLINE")
                .put("runtime", 42000).put("deadline", 1000000).put("period", 1000000)));
        // nice is checked for SCHED_OTHER and SCHED_BATCH only, as runc does
        assertEquals(List.of(), check(s -> process(s).putObject("scheduler").put("policy", "SCHED_IDLE").put("nice", 40)));
        assertOnly("/process/scheduler/nice", "invalid scheduler.nice: 20 when scheduler.policy is SCHED_OTHER",
                check(s -> process(s).putObject("scheduler").put("policy", "SCHED_OTHER").put("nice", 20)));
        assertOnly("/process/scheduler/nice", "invalid scheduler.nice: -21 when scheduler.policy is SCHED_BATCH",
                check(s -> process(s).putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", -21)));
        assertOnly("/process/scheduler/priority", "scheduler.priority can only be specified for SchedFIFO or SchedRR policy",
                check(s -> process(s).putObject("scheduler").put("policy", "SCHED_OTHER").put("priority", 1)));
        assertOnly("/process/scheduler", "scheduler runtime/deadline/period can only be specified for SchedDeadline policy",
                check(s -> process(s).putObject("scheduler").put("policy", "SCHED_RR").put("period", 100)));
    }

    @Test
    void ioPriorityLevel() throws Exception {
        assertEquals(List.of(), check(s -> process(s).putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 7)));
        assertOnly("/process/ioPriority/priority", "invalid ioPriority.Priority: 8",
                check(s -> process(s).putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 8)));
        assertOnly("/process/ioPriority/priority", "invalid ioPriority.Priority: -1",
                check(s -> process(s).putObject("ioPriority").put("class", "IOPRIO_CLASS_RT").put("priority", -1)));
    }

    @Test
    void execCpuAffinityLists() throws Exception {
        assertEquals(List.of(), check(s -> process(s).putObject("execCPUAffinity").put("initial", " 0, 2-3,").put("final", "")));
        assertOnly("/process/execCPUAffinity/initial", "start is after end",
                check(s -> process(s).putObject("execCPUAffinity").put("initial", "3-1")));
        assertOnly("/process/execCPUAffinity/final", "no CPU", check(s -> process(s).putObject("execCPUAffinity").put("final", ",")));
        assertOnly("/process/execCPUAffinity/final", "above the maximum",
                check(s -> process(s).putObject("execCPUAffinity").put("final", "0-65537")));
    }

    @Test
    void relativeMaskedPathAndHookPath() throws Exception {
        assertOnly("/linux/maskedPaths/0", "absolute", check(s -> ((ArrayNode) linux(s).get("maskedPaths")).set(0, "proc/kcore")));
        assertOnly("/hooks/prestart/0/path", "absolute",
                check(s -> s.putObject("hooks").putArray("prestart").addObject().put("path", "bin/true")));
    }

    @Test
    void deviceNeedsNumbers() throws Exception {
        assertOnly("/linux/devices/0/major", "required",
                check(s -> linux(s).putArray("devices").addObject().put("type", "c").put("path", "/dev/x")));
    }

    @Test
    void missingRoot() throws Exception {
        assertOnly("/root", "required", check(s -> s.remove("root")));
    }

    @Test
    void idmappedMountNeedsBoth() throws Exception {
        assertOnly("/mounts/0/gidMappings", "both", check(s -> ((ObjectNode) s.get("mounts").get(0)).putArray("uidMappings")
                .addObject().put("containerID", 0).put("hostID", 1000).put("size", 1)));
    }

}
