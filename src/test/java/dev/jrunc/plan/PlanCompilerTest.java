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
 * Golden tests of the plan compiler: src/test/resources/plan/NAME.txt (one op per line, flags by
 * name: {@link PlanText}) and NAME.bin (the encoded plan). Regenerate both with
 * {@code mvn -B -q test -Dtest=PlanCompilerTest -Dplan.golden.update=true} and review the diff.
 */
class PlanCompilerTest {
    /** This host's kind of cgroups: v1 controllers plus a hybrid cgroup2 at unified. */
    static final List<HostFacts.CgroupMount> HYBRID = List.of(
            new HostFacts.CgroupMount("cpu,cpuacct", "cgroup", "cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/jrunc/c1"),
            new HostFacts.CgroupMount("memory", "cgroup", "memory", "/sys/fs/cgroup/memory/jrunc/c1"),
            new HostFacts.CgroupMount("systemd", "cgroup", "name=systemd", "/sys/fs/cgroup/systemd/jrunc/c1"),
            new HostFacts.CgroupMount("unified", "cgroup2", "", "/sys/fs/cgroup/unified/jrunc/c1"));
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
        String text = PlanText.render(ops);
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
                List.of(new HostFacts.CgroupMount("", "cgroup2", "", "/sys/fs/cgroup/jrunc/c1")));
        golden("nopivot-v2", PlanCompiler.compile(spec(defaultTree()), host));
    }

    /** Every process attribute at once: where each op lands is runc's place for it. */
    static ObjectNode procattrTree() {
        ObjectNode tree = defaultTree();
        ObjectNode process = (ObjectNode) tree.get("process");
        ObjectNode linux = (ObjectNode) tree.get("linux");
        process.put("oomScoreAdj", -500);
        process.putObject("scheduler").put("policy", "SCHED_FIFO").put("priority", 10)
                .putArray("flags").add("SCHED_FLAG_RESET_ON_FORK").add("SCHED_FLAG_UTIL_CLAMP_MAX");
        process.putObject("ioPriority").put("class", "IOPRIO_CLASS_IDLE").put("priority", 5);
        process.putObject("execCPUAffinity").put("initial", "0").put("final", "0-1");
        process.putArray("env").add("PATH=/bin").add("HOME=");
        ((ObjectNode) process.get("user")).put("uid", 1000);
        ((com.fasterxml.jackson.databind.node.ArrayNode) linux.get("namespaces")).addObject().put("type", "time");
        ObjectNode offsets = linux.putObject("timeOffsets");
        offsets.putObject("boottime").put("secs", -5).put("nanosecs", 0);
        offsets.putObject("monotonic").put("secs", 7881).put("nanosecs", 2718281);
        linux.putObject("personality").put("domain", "LINUX32").putArray("flags").add("ADDR_NO_RANDOMIZE");
        return tree;
    }

    /** exec into a container of the default spec with execCPUAffinity and the personality: namespaces joined user first, mount last. */
    @Test
    void execPlan() throws Exception {
        ObjectNode tree = procattrTree();
        ((ObjectNode) tree.get("linux")).remove("timeOffsets");
        java.util.Map<String, String> ns = new java.util.LinkedHashMap<>();
        ns.put("mount", "/proc/42/ns/mnt");
        ns.put("pid", "/proc/42/ns/pid");
        ns.put("ipc", "/proc/42/ns/ipc");
        ns.put("user", "/proc/42/ns/user");
        HostFacts host = new HostFacts(Path.of("/run/bundle"), Path.of("/run/bundle/rootfs"), false, false, -1, 1, true, List.of());
        golden("exec", PlanCompiler.compileExec(spec(tree), host, Security.NONE, ns));
    }

    /** A terminal: exec_console (no /dev/console) right after the initial CPU affinity, as runc's setns init sets it up first. */
    @Test
    void execTerminal() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process")).put("terminal", true);
        ((ObjectNode) tree.get("process")).putObject("consoleSize").put("height", 24).put("width", 80);
        HostFacts host = new HostFacts(Path.of("/b"), Path.of("/b/rootfs"), false, false, -1, 0, true, List.of());
        List<Op> ops = PlanCompiler.compileExec(spec(tree), host, Security.NONE, java.util.Map.of());
        assertEquals(new Op.Clone(0), ops.get(0));
        assertEquals(new Op.SyncWait(), ops.get(1));
        assertEquals(new Op.CpuAffinity(PlanCompiler.ALL_CPUS), ops.get(2));
        assertEquals(new Op.ExecConsole(24, 80, 0), ops.get(3));
        assertEquals(0, ops.stream().filter(op -> op instanceof Op.Console).count());
    }

    @Test
    void processAttributes() throws Exception {
        golden("procattr", PlanCompiler.compile(spec(procattrTree()), HOST));
    }

    @Test
    void homeIsLeftAloneWhenSetAndWithoutAnEnv() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process")).putArray("env").add("HOME=/root").add("HOME=");
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        assertTrue(ops.stream().noneMatch(o -> o instanceof Op.DefaultHome), ops.toString());
        assertEquals(new Op.Exec(List.of("sh"), List.of("HOME=/root", "HOME=")), ops.getLast());

        tree = defaultTree();
        ((ObjectNode) tree.get("process")).remove("env"); // runc: no env, no HOME either
        ops = PlanCompiler.compile(spec(tree), HOST);
        assertTrue(ops.stream().noneMatch(o -> o instanceof Op.DefaultHome), ops.toString());
        assertEquals(new Op.Exec(List.of("sh"), List.of()), ops.getLast());
    }

    @Test
    void ioPriorityAndSchedulerValues() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process")).putObject("ioPriority").put("class", "IOPRIO_CLASS_RT").put("priority", 0);
        ((ObjectNode) tree.get("process")).putObject("scheduler").put("policy", "SCHED_DEADLINE")
                .put("runtime", 42000).put("deadline", 1000000).put("period", 1000000);
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        assertTrue(ops.contains(new Op.IoPriority(1 << 13)), ops.toString());
        assertTrue(ops.contains(new Op.Scheduler(6, 0, 0, 0, 42000, 1000000, 1000000)), ops.toString());
        ((ObjectNode) tree.get("process")).putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 9);
        assertEquals("invalid ioPriority.Priority: 9", message(tree));
    }

    @Test
    void timeOffsetsNeedANewTimeNamespace() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("linux")).putObject("timeOffsets").putObject("monotonic").put("secs", 1);
        assertEquals("time namespace offsets specified, but time namespace isn't enabled in the config", message(tree));
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("linux").get("namespaces")).addObject()
                .put("type", "time").put("path", "/proc/self/ns/time");
        assertEquals("time namespace enabled, but both namespace path and time offsets specified -- you may only provide one", message(tree));
        // a new time namespace without offsets: unshare only
        tree = defaultTree();
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("linux").get("namespaces")).addObject().put("type", "time");
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        assertEquals(new Op.Unshare(PlanCompiler.CLONE_NEWTIME), ops.get(0));
        assertTrue(ops.get(1) instanceof Op.Clone, ops.toString());
        assertTrue(ops.stream().noneMatch(o -> o instanceof Op.TimensOffsets), ops.toString());
    }

    @Test
    void newCgroupNamespaceIsUnsharedAfterTheChildIsInItsCgroup() throws Exception {
        List<Op> ops = PlanCompiler.compile(spec(defaultTree()), HOST);
        Op.Clone clone = (Op.Clone) ops.stream().filter(o -> o instanceof Op.Clone).findFirst().orElseThrow();
        assertEquals(0, clone.flags() & PlanCompiler.CLONE_NEWCGROUP, "clone must not create the cgroup namespace");
        int wait = ops.indexOf(new Op.SyncWait());
        int unshare = ops.indexOf(new Op.Unshare(PlanCompiler.CLONE_NEWCGROUP));
        assertTrue(wait >= 0 && unshare > wait, "unshare(CLONE_NEWCGROUP) after sync_wait: " + ops);

        ObjectNode tree = defaultTree();
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("linux").get("namespaces")).remove(5); // cgroup
        assertTrue(PlanCompiler.compile(spec(tree), HOST).stream().noneMatch(o -> o instanceof Op.Unshare));
    }

    /**
     * Without a cgroup namespace (podman on cgroup v1) the container sees its own cgroup of each
     * v1 hierarchy, bound with the mount's flags: the host's whole tree, writable, must never be
     * bound (it was: a recursive bind whose remount reached only the top tmpfs).
     */
    @Test
    void withoutCgroupNamespaceOnlyTheContainersCgroupsAreBoundWithTheMountFlags() throws Exception {
        ObjectNode tree = defaultTree();
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("linux").get("namespaces")).remove(5); // cgroup
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        List<Op.Mount> cg = ops.stream().filter(o -> o instanceof Op.Mount mt && mt.target().startsWith("/sys/fs/cgroup"))
                .map(o -> (Op.Mount) o).toList();
        assertEquals(List.of("tmpfs", "/sys/fs/cgroup/cpu,cpuacct/jrunc/c1", "/sys/fs/cgroup/memory/jrunc/c1",
                "/sys/fs/cgroup/systemd/jrunc/c1"), cg.stream().map(Op.Mount::source).toList(), "no cgroup2 on a hybrid host");
        long ro = 1, nosuid = 2, nodev = 4, noexec = 8;
        for (Op.Mount mt : cg.subList(1, cg.size())) {
            assertEquals(MountOptions.MS_BIND, mt.flags(), mt.toString());
            assertEquals(MountOptions.MS_BIND | MountOptions.MS_REMOUNT | ro | nosuid | nodev | noexec,
                    mt.remountFlags() & ~MountOptions.MS_RELATIME, mt.toString());
        }
        assertTrue(ops.contains(new Op.Symlink("cpu,cpuacct", "/sys/fs/cgroup/cpu", false)), ops.toString());
        assertTrue(ops.contains(new Op.ReadonlyPath("/sys/fs/cgroup", false)), ops.toString());

        HostFacts v2 = new HostFacts(Path.of("/b"), Path.of("/b/rootfs"), false, false, -1, 0, true,
                List.of(new HostFacts.CgroupMount("", "cgroup2", "", "/sys/fs/cgroup/jrunc/c1")));
        Op.Mount one = PlanCompiler.compile(spec(tree), v2).stream()
                .filter(o -> o instanceof Op.Mount mt && mt.target().equals("/sys/fs/cgroup")).map(o -> (Op.Mount) o)
                .findFirst().orElseThrow();
        assertEquals("/sys/fs/cgroup/jrunc/c1", one.source());

        // a hierarchy without a known directory is not bound (never a missing source)
        HostFacts unknown = new HostFacts(Path.of("/b"), Path.of("/b/rootfs"), false, false, -1, 0, true,
                List.of(new HostFacts.CgroupMount("memory", "cgroup", "memory"),
                        new HostFacts.CgroupMount("pids", "cgroup", "pids", "/sys/fs/cgroup/pids/user")));
        assertEquals(List.of("tmpfs", "/sys/fs/cgroup/pids/user"), PlanCompiler.compile(spec(tree), unknown).stream()
                .filter(o -> o instanceof Op.Mount mt && mt.target().startsWith("/sys/fs/cgroup"))
                .map(o -> ((Op.Mount) o).source()).toList());
        HostFacts v2unknown = new HostFacts(Path.of("/b"), Path.of("/b/rootfs"), false, false, -1, 0, true,
                List.of(new HostFacts.CgroupMount("", "cgroup2", "")));
        assertTrue(PlanCompiler.compile(spec(tree), v2unknown).stream()
                .noneMatch(o -> o instanceof Op.Mount mt && mt.target().startsWith("/sys/fs/cgroup")));
    }

    @Test
    void unknownCapabilitiesAreLeftOutAndReported() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process").get("capabilities")).putArray("bounding").add("CAP_FLY").add("CAP_KILL");
        ((ObjectNode) tree.get("process").get("capabilities")).putArray("ambient").add("CAP_FLY").add("CAP_SWIM");
        Spec spec = spec(tree);
        Op.CapBounding bounding = (Op.CapBounding) PlanCompiler.compile(spec, HOST).stream()
                .filter(o -> o instanceof Op.CapBounding).findFirst().orElseThrow();
        assertEquals(1L << 5, bounding.keep());
        assertEquals(List.of("CAP_FLY", "CAP_SWIM"), PlanCompiler.unknownCapabilities(spec.process().capabilities()));
        assertEquals(List.of(), PlanCompiler.unknownCapabilities(spec(defaultTree()).process().capabilities()));
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

    /** A seccomp backend without libseccomp: the "program" is the encoded filter itself. */
    static final SeccompCompiler.Backend ECHO = new SeccompCompiler.Backend() {
        public boolean flagSupported(long flags) {
            return true;
        }

        public byte[] compile(SeccompCompiler.Encoded filter) {
            byte[] b = filter.bytes();
            return java.util.Arrays.copyOf(b, (b.length + 7) / 8 * 8);
        }
    };

    static ObjectNode seccompTree(boolean noNewPrivs) {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process")).put("noNewPrivileges", noNewPrivs);
        ObjectNode seccomp = ((ObjectNode) tree.get("linux")).putObject("seccomp");
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("syscalls").addObject().put("action", "SCMP_ACT_ERRNO").putArray("names").add("mkdir");
        return tree;
    }

    static List<String> names(List<Op> ops) {
        return ops.stream().map(op -> op.code().cName()).toList();
    }

    @Test
    void seccompWithNoNewPrivsComesLateAfterTheLookup() throws Exception {
        List<Op> ops = PlanCompiler.compile(spec(seccompTree(true)), HOST, new Security(false, false, ECHO));
        List<String> n = names(ops);
        assertEquals(List.of("lookup_exec", "seccomp", "sync_ready"), n.subList(n.indexOf("seccomp") - 1, n.indexOf("seccomp") + 2));
        assertEquals(1, n.stream().filter("seccomp"::equals).count());
        Op.Seccomp s = (Op.Seccomp) ops.get(n.indexOf("seccomp"));
        assertEquals(SeccompCompiler.FLAG_SPEC_ALLOW, s.flags()); // runc's default when flags are absent
        assertEquals(false, s.listener());
    }

    @Test
    void seccompWithoutNoNewPrivsComesBeforeTheCapabilitiesAreDropped() throws Exception {
        List<String> n = names(PlanCompiler.compile(spec(seccompTree(false)), HOST, new Security(false, false, ECHO)));
        // then HOME from /etc/passwd and the capabilities: runc's finalizeNamespace, after the filter
        assertEquals(List.of("rlimit", "seccomp", "default_home", "chdir", "cap_bounding"), n.subList(n.indexOf("seccomp") - 1, n.indexOf("seccomp") + 4));
        assertTrue(n.indexOf("seccomp") < n.indexOf("set_user"));
    }

    @Test
    void theCwdIsEnteredBeforeTheUserChangesAndAgainAfterWhenThatWasRefused() throws Exception {
        List<Op> ops = PlanCompiler.compile(spec(seccompTree(false)), HOST, new Security(false, false, ECHO));
        List<String> n = names(ops);
        int setUser = n.indexOf("set_user");
        assertEquals(new Op.Chdir("/", Op.Chdir.EARLY), ops.get(setUser - 2));
        assertEquals(new Op.Chdir("/", Op.Chdir.LATE), ops.get(setUser + 1));
        assertEquals(2, n.stream().filter("chdir"::equals).count());
    }

    @Test
    void seccompGolden() throws Exception {
        ObjectNode tree = seccompTree(true);
        ObjectNode seccomp = (ObjectNode) tree.get("linux").get("seccomp");
        seccomp.putArray("flags").add("SECCOMP_FILTER_FLAG_LOG");
        seccomp.put("listenerPath", "/run/agent.sock");
        ObjectNode notify = ((com.fasterxml.jackson.databind.node.ArrayNode) seccomp.get("syscalls")).addObject();
        notify.put("action", "SCMP_ACT_NOTIFY").putArray("names").add("chmod");
        ObjectNode kill = ((com.fasterxml.jackson.databind.node.ArrayNode) seccomp.get("syscalls")).addObject();
        kill.put("action", "SCMP_ACT_ERRNO").put("errnoRet", 38).putArray("names").add("kill");
        kill.putArray("args").addObject().put("index", 1).put("value", 15).put("op", "SCMP_CMP_EQ");
        ((ObjectNode) tree.get("process")).put("apparmorProfile", "container-default").put("selinuxLabel", "system_u:system_r:container_t:s0");
        golden("seccomp", PlanCompiler.compile(spec(tree), HOST, new Security(true, true, ECHO)));
    }

    @Test
    void lsmLabelsNeedTheirModule() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process")).put("apparmorProfile", "p");
        PlanException e = assertThrows(PlanException.class, () -> PlanCompiler.compile(spec(tree), HOST));
        assertEquals("apparmor: config provided but apparmor not supported", e.getMessage());
        List<String> n = names(PlanCompiler.compile(spec(tree), HOST, new Security(true, false, ECHO)));
        assertEquals(List.of("no_new_privs", "apparmor", "default_home"), n.subList(n.indexOf("apparmor") - 1, n.indexOf("apparmor") + 2));

        ObjectNode tree2 = defaultTree();
        ((ObjectNode) tree2.get("process")).put("selinuxLabel", "l");
        e = assertThrows(PlanException.class, () -> PlanCompiler.compile(spec(tree2), HOST));
        assertEquals("selinux label is specified in config, but selinux is disabled or not supported", e.getMessage());
        assertTrue(names(PlanCompiler.compile(spec(tree2), HOST, new Security(false, true, ECHO))).contains("selinux_label"));

        // no SELinux: a mount label has nothing to label
        ObjectNode tree3 = defaultTree();
        ((ObjectNode) tree3.get("linux")).put("mountLabel", "l");
        assertEquals(names(PlanCompiler.compile(spec(defaultTree()), HOST)), names(PlanCompiler.compile(spec(tree3), HOST)));
    }

    @Test
    void seccompWithoutACompilerIsRefused() throws Exception {
        PlanException e = assertThrows(PlanException.class, () -> PlanCompiler.compile(spec(seccompTree(true)), HOST));
        assertEquals("linux.seccomp: this jrunc has no seccomp compiler (libseccomp)", e.getMessage());
    }

    @Test
    void terminalSetsUpTheConsoleRightAfterPivotRoot() throws Exception {
        ObjectNode tree = SpecGenerator.defaultSpec(); // terminal: true, root read-only
        ObjectNode process = (ObjectNode) tree.get("process");
        process.putObject("consoleSize").put("height", 40).put("width", 120);
        ((ObjectNode) process.get("user")).put("uid", 1000);
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        golden("terminal", ops);
        int pivot = ops.indexOf(new Op.PivotRoot());
        assertEquals(new Op.Console(40, 120, 1000), ops.get(pivot + 1), ops.toString());
        // before / turns read-only (runc: setupConsole before finalizeRootfs)
        assertTrue(pivot + 1 < ops.indexOf(new Op.ReadonlyPath("/", false)), ops.toString());

        // no consoleSize: the pty keeps the kernel's size; no terminal: no console
        process.remove("consoleSize");
        ((ObjectNode) process.get("user")).put("uid", 0);
        assertTrue(PlanCompiler.compile(spec(tree), HOST).contains(new Op.Console(0, 0, 0)));
        process.put("terminal", false);
        assertTrue(PlanCompiler.compile(spec(tree), HOST).stream().noneMatch(op -> op instanceof Op.Console));
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
        ObjectNode tree = SpecGenerator.defaultSpec();
        ((ObjectNode) tree.get("linux")).put("mountLabel", "system_u:object_r:container_file_t:s0");
        PlanException e = assertThrows(PlanException.class,
                () -> PlanCompiler.compile(spec(tree), HOST, new Security(false, true, SeccompCompiler.UNAVAILABLE)));
        assertEquals("not supported yet: linux.mountLabel", e.getMessage());
    }

    @Test
    void refusesBadInput() throws Exception {
        ObjectNode tree = defaultTree();
        ((ObjectNode) tree.get("process")).putArray("args");
        assertEquals("process.args: must not be empty", message(tree));

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

    @Test
    void aHostnameIsSetInAUtsNamespaceJoinedByPath() throws Exception {
        ObjectNode tree = defaultTree();
        tree.put("hostname", "joined");
        for (JsonNode ns : tree.get("linux").get("namespaces")) {
            if (ns.get("type").asText().equals("uts")) {
                ((ObjectNode) ns).put("path", "/proc/77/ns/uts");
            }
        }
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        assertTrue(ops.contains(new Op.JoinNamespace("/proc/77/ns/uts", 0x04000000L)));
        assertTrue(ops.contains(new Op.SetHostname("joined")));
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

    /**
     * Bind sources opened by the original process (runc 1.1's mount fds): right before clone,
     * only with new user and mount namespaces and a privileged runtime, each source once.
     */
    @Test
    void bindSourcesOfANewUserNamespace() throws Exception {
        ObjectNode tree = defaultTree();
        com.fasterxml.jackson.databind.node.ArrayNode mounts = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("mounts");
        mounts.addObject().put("destination", "/a").put("type", "bind").put("source", "src").putArray("options").add("rbind");
        mounts.addObject().put("destination", "/b").put("type", "none").put("source", "/srv/b").putArray("options").add("bind");
        mounts.addObject().put("destination", "/c").put("type", "bind").put("source", "/run/bundle/src");
        List<Op> ops = PlanCompiler.compile(spec(tree), HOST);
        assertFalse(ops.stream().anyMatch(o -> o instanceof Op.BindSources), "no user namespace: " + ops);

        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("linux").get("namespaces")).addObject().put("type", "user");
        ((ObjectNode) tree.get("linux")).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 1000).put("size", 10);
        ((ObjectNode) tree.get("linux")).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 1000).put("size", 10);
        ops = PlanCompiler.compile(spec(tree), HOST);
        int clone = ops.indexOf(ops.stream().filter(o -> o instanceof Op.Clone).findFirst().orElseThrow());
        assertEquals(new Op.BindSources(List.of("/run/bundle/src", "/srv/b")), ops.get(clone - 1));

        HostFacts rootless = new HostFacts(HOST.bundle(), HOST.rootfs(), false, false, 12, 0, false, HOST.cgroupMounts());
        ops = PlanCompiler.compile(spec(tree), rootless);
        assertFalse(ops.stream().anyMatch(o -> o instanceof Op.BindSources), "rootless: " + ops);
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
