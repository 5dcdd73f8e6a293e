package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.json.Json;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.spec.SpecReader;
import dev.jrunc.spec.model.Spec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of the plan compiler: src/test/resources/plan/NAME.txt (one op per line) and
 * NAME.bin (the encoded plan). Regenerate with {@code -Dplan.golden.update=true} and review the diff.
 */
class PlanCompilerTest {
    /** This host's kind of cgroups: v1 controllers plus a hybrid cgroup2 at unified. */
    static final List<HostFacts.CgroupMount> HYBRID = List.of(
            new HostFacts.CgroupMount("cpu,cpuacct", "cgroup", "cpu,cpuacct"),
            new HostFacts.CgroupMount("memory", "cgroup", "memory"),
            new HostFacts.CgroupMount("systemd", "cgroup", "name=systemd"),
            new HostFacts.CgroupMount("unified", "cgroup2", ""));
    static final HostFacts HOST = new HostFacts(Path.of("/run/bundle"), Path.of("/run/bundle/rootfs"), false, false, 12, 0, true, HYBRID);

    static Spec spec(JsonNode tree) throws Exception {
        return SpecReader.toSpec(tree);
    }

    static ObjectNode defaultTree() {
        ObjectNode tree = SpecGenerator.defaultSpec();
        ((ObjectNode) tree.get("process")).put("terminal", false);
        return tree;
    }

    static void golden(String name, List<Op> ops) throws Exception {
        String text = InitTools.render(ops);
        byte[] bin = PlanWriter.encode(ops);
        Path txt = InitTools.PLAN_RESOURCES.resolve(name + ".txt");
        Path binFile = InitTools.PLAN_RESOURCES.resolve(name + ".bin");
        if (Boolean.getBoolean("plan.golden.update")) {
            Files.writeString(txt, text, StandardCharsets.UTF_8);
            Files.write(binFile, bin);
        }
        assertEquals(Files.readString(txt, StandardCharsets.UTF_8), text, name + ".txt");
        assertArrayEquals(Files.readAllBytes(binFile), bin, name + ".bin");
    }

    @Test
    void runcDefaultSpec() throws Exception {
        golden("default", PlanCompiler.compile(spec(defaultTree()), HOST));
    }

    @Test
    void fullFeaturedSpec() throws Exception {
        JsonNode tree = Json.mapper().readTree(InitTools.PLAN_RESOURCES.resolve("full-config.json").toFile());
        golden("full", PlanCompiler.compile(spec(tree), HOST));
    }

    @Test
    void noPivotPureV2AndPreservedFds() throws Exception {
        HostFacts host = new HostFacts(Path.of("/b"), Path.of("/b/rootfs"), true, false, -1, 2, true,
                List.of(new HostFacts.CgroupMount("", "cgroup2", "")));
        golden("nopivot-v2", PlanCompiler.compile(spec(defaultTree()), host));
    }

    @Test
    void cgroupMountsFromMountinfo() {
        List<String> mountinfo = List.of(
                "25 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw",
                "31 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
                "32 31 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate",
                "33 31 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd",
                "36 31 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct",
                "37 31 0:32 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,cpuset,clone_children");
        assertEquals(List.of(
                new HostFacts.CgroupMount("unified", "cgroup2", ""),
                new HostFacts.CgroupMount("systemd", "cgroup", "name=systemd"),
                new HostFacts.CgroupMount("cpu,cpuacct", "cgroup", "cpu,cpuacct"),
                new HostFacts.CgroupMount("cpuset", "cgroup", "cpuset")), HostFacts.parseCgroups(mountinfo));
        assertEquals(List.of(new HostFacts.CgroupMount("", "cgroup2", "")), HostFacts.parseCgroups(List.of(
                "30 1 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate")));
    }

    /**
     * The stop for the host's createRuntime hooks, then createContainer hooks after the devices,
     * in the rootfs directory, before pivot_root;
     * startContainer hooks between holding and releasing the exec fifo. args absent: argv is
     * [path]; env absent: the process's env; the state split around the pid.
     */
    @Test
    void inContainerHooks() throws Exception {
        ObjectNode tree = defaultTree();
        tree.putObject("annotations").put("org.example/key", "v\"<>");
        ObjectNode hooks = tree.putObject("hooks");
        ObjectNode first = hooks.putArray("createContainer").addObject().put("path", "/usr/bin/hook").put("timeout", 5);
        first.putArray("args").add("hook-name").add("--create");
        first.putArray("env").add("A=1");
        hooks.withArray("createContainer").addObject().put("path", "/bin/second");
        hooks.putArray("startContainer").addObject().put("path", "/bin/start");
        hooks.putArray("createRuntime").addObject().put("path", "/bin/on-host");
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST, "golden-id");
        golden("hooks", ops);

        String prefix = "{\"ociVersion\":\"1.3.0\",\"id\":\"golden-id\",\"status\":\"creating\",\"pid\":";
        String suffix = ",\"bundle\":\"/run/bundle\",\"annotations\":{\"org.example/key\":\"v\\\"<>\"}}";
        List<String> processEnv = spec(tree).process().env();
        int pivot = ops.indexOf(new Op.PivotRoot());
        assertEquals(List.of(new Op.SyncHooks(), new Op.Chdir("/run/bundle/rootfs"),
                new Op.Hook("/usr/bin/hook", List.of("hook-name", "--create"), List.of("A=1"), 5, prefix, suffix, 0),
                new Op.Hook("/bin/second", List.of("/bin/second"), processEnv, 0, prefix, suffix, 1)), ops.subList(pivot - 4, pivot));
        int hold = ops.indexOf(new Op.WaitFifo(12, Op.WaitFifo.HOLD));
        assertEquals(List.of(new Op.WaitFifo(12, Op.WaitFifo.HOLD),
                new Op.Hook("/bin/start", List.of("/bin/start"), processEnv, 0, prefix.replace("creating", "created"), suffix, 0),
                new Op.WaitFifo(12, Op.WaitFifo.RELEASE_HELD), new Op.CloseFds(3)), ops.subList(hold, hold + 4));
        assertFalse(PlanCompiler.compile(spec(defaultTree()), HOST).stream().anyMatch(op -> op instanceof Op.Hook || op instanceof Op.SyncHooks));

        assertEquals("hooks.createContainer: the container id is needed for the hook state",
                assertThrows(PlanException.class, () -> PlanCompiler.compile(spec(tree), HOST)).getMessage());
    }

    @Test
    void refusesWhatTheInitCannotDoYet() throws Exception {
        ObjectNode tree = SpecGenerator.defaultSpec(); // terminal: true
        ((ObjectNode) tree.get("linux")).putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW");
        PlanException e = assertThrows(PlanException.class, () -> PlanCompiler.compile(spec(tree), HOST));
        assertEquals("not supported yet: process.terminal, linux.seccomp", e.getMessage());
    }

    @Test
    void refusesBadInput() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process")).putArray("args");
        assertEquals("process.args: must not be empty", message(tree));

        tree = defaultTree();
        ((ObjectNode) tree.get("process").get("capabilities")).putArray("bounding").add("CAP_FLY");
        assertEquals("process.capabilities.bounding: unknown capability \"CAP_FLY\"", message(tree));

        tree = defaultTree();
        ((ObjectNode) tree.get("process").get("rlimits").get(0)).put("type", "RLIMIT_WINGS");
        assertEquals("process.rlimits: unknown type \"RLIMIT_WINGS\"", message(tree));

        tree = defaultTree();
        ((ObjectNode) tree.get("mounts").get(0)).putArray("options").add("tmpcopyup");
        assertEquals("mounts[0]: mount option \"tmpcopyup\" needs a tmpfs mount", message(tree));

        tree = defaultTree();
        ((ObjectNode) tree.get("mounts").get(0)).putArray("options").add("ridmap");
        assertEquals("mounts[0]: mount option \"ridmap\" is not supported yet", message(tree));

        tree = defaultTree();
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("linux").get("namespaces")).remove(3); // uts
        assertEquals("hostname: unable to set the hostname without a private UTS namespace", message(tree));
    }

    /** tmpcopyup: the copy-up mount point kind; a read-only tmpfs is mounted writable, then remounted read-only. */
    @Test
    void tmpcopyup() throws Exception {
        ObjectNode tree = defaultTree();
        ObjectNode m = ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("mounts")).addObject()
                .put("destination", "/data").put("type", "tmpfs").put("source", "tmpfs");
        m.putArray("options").add("tmpcopyup").add("ro").add("nosuid").add("mode=755");
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        long nosuid = 2, ro = 1, bind = 4096, remount = 32;
        assertTrue(ops.contains(new Op.Mount("tmpfs", "/data", "tmpfs", nosuid, 0, "mode=755", Op.Kind.DIR_COPYUP,
                bind | remount | nosuid | ro, 0, 0)), ops.toString());
    }

    /** An idmapped bind: prepared before clone (host user namespace), attached at its place among the mounts. */
    @Test
    void idmappedMounts() throws Exception {
        ObjectNode tree = defaultTree();
        com.fasterxml.jackson.databind.node.ArrayNode mounts = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("mounts");
        ObjectNode m = mounts.insertObject(1).put("destination", "/m/../data").put("type", "bind").put("source", "src");
        m.putArray("options").add("rbind").add("ro").add("rnoexec").add("rslave");
        m.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 1000).put("size", 10);
        m.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 2000).put("size", 10);
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        Op.IdmapMount prepare = new Op.IdmapMount(Op.IdmapMount.PREPARE, 0, "/run/bundle/src", "/data", "0 1000 10\n", "0 2000 10\n",
                true, 1 | 8, 0x80000 | 0x4000);
        assertEquals(prepare, ops.get(0));
        assertTrue(ops.get(1) instanceof Op.Clone, ops.toString());
        int proc = ops.indexOf(ops.stream().filter(o -> o instanceof Op.Mount mo && mo.target().equals("/proc")).findFirst().orElseThrow());
        assertEquals(prepare.attach(), ops.get(proc + 1));

        m.put("type", "tmpfs").putArray("options");
        assertEquals("mounts[1]: idmapped mounts are supported for bind mounts only", message(tree));
        m.put("type", "bind").putArray("options").add("rbind").add("noatime");
        assertTrue(message(tree).startsWith("mounts[1]: idmapped mounts take only the options"), message(tree));
    }

    @Test
    void cleansContainerPaths() {
        assertEquals("/", PlanCompiler.cleanPath(""));
        assertEquals("/", PlanCompiler.cleanPath("/../.."));
        assertEquals("/etc", PlanCompiler.cleanPath("../../etc"));
        assertEquals("/a/c", PlanCompiler.cleanPath("/a//b/../c/."));
    }

    @Test
    void pathLookupTakesTheLastPath() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process")).putArray("env").add("PATH=/a").add("X=1").add("PATH=/b:/c");
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        assertTrue(ops.contains(new Op.LookupExec("sh", "/b:/c")), ops.toString());
    }

    private static String message(ObjectNode tree) throws Exception {
        Spec s = spec(tree);
        return assertThrows(PlanException.class, () -> PlanCompiler.compile(s, HOST)).getMessage();
    }
}
