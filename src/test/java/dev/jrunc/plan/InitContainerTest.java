package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.KernelTest;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.spec.SpecReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers, as root: a busybox rootfs, a plan compiled from runc's default spec (args
 * changed), run by jrunc-init under init_driver, which plays jrunc's part of the sync protocol.
 * Everything the init mounts lives in the container's mount namespace; each test kills the
 * container's pid 1 if it is still alive.
 */
@KernelTest
class InitContainerTest {
    private static final Pattern PID = Pattern.compile("driver: pid (\\d+)");

    @TempDir
    Path bundle;
    private Path rootfs;
    private final List<Process> drivers = new ArrayList<>();
    private final List<Long> containers = new ArrayList<>();
    /** LSMs and the seccomp compiler the plans are compiled with. */
    private Security security = Security.NONE;
    /** A command the driver runs under (e.g. taskset), empty by default. */
    private List<String> wrapper = List.of();

    record Result(int exit, String out, String err, long pid) {}

    @BeforeEach
    void rootfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static");
        rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Process list = new ProcessBuilder("/bin/busybox", "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        list.waitFor();
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.writeString(rootfs.resolve("bin/noexec"), "#!/bin/sh\n");
    }

    @AfterEach
    void cleanup() {
        for (long pid : containers) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (Process p : drivers) {
            p.destroyForcibly();
        }
    }

    ObjectNode spec(String... args) {
        ObjectNode tree = SpecGenerator.defaultSpec();
        ObjectNode process = (ObjectNode) tree.get("process");
        process.put("terminal", false);
        ArrayNode a = process.putArray("args");
        for (String s : args) {
            a.add(s);
        }
        return tree;
    }

    HostFacts host(boolean noPivot) throws IOException {
        return new HostFacts(bundle, rootfs, noPivot, false, 12, 0, true, HostFacts.probeCgroups());
    }

    Result run(ObjectNode tree, HostFacts host, String... driverOptions) throws Exception {
        Process driver = start(tree, host, driverOptions);
        return finish(driver);
    }

    Process start(ObjectNode tree, HostFacts host, String... driverOptions) throws Exception {
        byte[] plan = PlanWriter.encode(PlanCompiler.compile(SpecReader.toSpec(tree), host, security, "init-test"));
        Files.write(bundle.resolve("plan.bin"), plan);
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(InitTools.driver().toString(), "--fifo", bundle.resolve("exec.fifo").toString()));
        cmd.addAll(List.of(driverOptions));
        cmd.add(InitTools.init().toString());
        cmd.add(bundle.resolve("plan.bin").toString());
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(bundle.resolve("out").toFile())
                .redirectError(bundle.resolve("err").toFile())
                .start();
        drivers.add(p);
        return p;
    }

    Result finish(Process driver) throws Exception {
        boolean done = driver.waitFor(60, TimeUnit.SECONDS);
        String err = Files.readString(bundle.resolve("err"));
        long pid = containerPid(err).orElse(-1L);
        if (pid > 0) {
            containers.add(pid);
        }
        if (!done) {
            driver.destroy(); // the driver kills the container on SIGTERM
            driver.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("timed out; stderr:\n" + err);
        }
        return new Result(driver.exitValue(), Files.readString(bundle.resolve("out")), err, pid);
    }

    static Optional<Long> containerPid(String err) {
        Matcher m = PID.matcher(err);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    @Test
    void terminalGivesThePtyAsStdioAndControllingTerminal() throws Exception {
        ObjectNode tree = spec("sh", "-c", String.join("; ",
                "tty",
                "stty size",
                "ls -ln /dev/pts/0 | awk '{print \"owner=\" $3}'",
                "awk '{print \"tty_nr=\" $7 \" session=\" $6}' /proc/self/stat",
                "echo sid=$(awk '{print $6}' /proc/1/stat)",
                "grep ' /dev/console ' /proc/self/mountinfo | awk '{print \"console=\" $4}'",
                "for f in 0 1 2; do readlink /proc/self/fd/$f; done",
                "exit 3"));
        ObjectNode process = (ObjectNode) tree.get("process");
        process.put("terminal", true);
        process.putObject("consoleSize").put("height", 33).put("width", 101);
        process.putObject("user").put("uid", 1000).put("gid", 1000);
        Result r = run(tree, host(false), "--console");
        String out = r.out().replace("\r", "");
        assertEquals(3, r.exit(), r.err() + out);
        assertTrue(r.err().contains("driver: console\n"), r.err());
        List<String> lines = out.lines().toList();
        assertEquals("/dev/pts/0", lines.get(0), out);
        assertEquals("33 101", lines.get(1), out);
        assertTrue(out.contains("owner=1000\n"), out); // runc's fixStdioPermissions
        // controlling terminal 136:0, in the session pid 1 leads
        assertTrue(out.contains("tty_nr=34816 session=1\n"), out);
        assertTrue(out.contains("sid=1\n"), out);
        assertTrue(out.contains("console=/0\n"), out); // the slave (root "/0" of devpts) bound on /dev/console
        assertEquals(List.of("/dev/pts/0", "/dev/pts/0", "/dev/pts/0"), lines.subList(lines.size() - 3, lines.size()), out);
    }

    @Test
    void runsTheDefaultSpec() throws Exception {
        String script = String.join("; ",
                "echo host=$(hostname)",
                "echo uidmap=$(cat /proc/self/uid_map)",
                "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status",
                "grep 'Max open files' /proc/self/limits",
                "echo cwd=$(pwd)",
                "echo umask=$(umask)",
                "env | sort | sed 's/^/env:/'",
                // no pipeline, no glob: while it forks a pipeline the shell holds the pipe's
                // fds, and a glob opens the directory
                "echo fds:", "ls -1 /proc/$$/fd", "echo :fds",
                "cat /proc/self/mountinfo | sed 's/^/mnt:/'",
                "echo keys=$(wc -c < /proc/keys)",
                "ls -l /dev | sed 's/^/dev:/'",
                "touch /rootfs-is-ro 2>/dev/null && echo rootfs=rw || echo rootfs=ro",
                "echo x > /proc/sys/kernel/hostname 2>/dev/null && echo procsys=rw || echo procsys=ro",
                "exit 7");
        Result r = run(spec("sh", "-c", script), host(false));
        String out = r.out();
        assertEquals(7, r.exit(), r.err() + out);
        assertTrue(out.contains("host=jrunc\n"), out);
        assertTrue(out.matches("(?s).*uidmap=\\s*0 0 4294967295\n.*"), out);
        // runc's defaults: CAP_KILL(5), CAP_NET_BIND_SERVICE(10), CAP_AUDIT_WRITE(29)
        assertTrue(out.contains("CapBnd:\t0000000020000420\n"), out);
        assertTrue(out.contains("CapEff:\t0000000020000420\n"), out);
        assertTrue(out.contains("CapPrm:\t0000000020000420\n"), out);
        assertTrue(out.contains("CapInh:\t0000000000000000\n"), out);
        assertTrue(out.contains("NoNewPrivs:\t1\n"), out);
        assertTrue(out.matches("(?s).*Max open files +1024 +1024 +files.*"), out);
        assertTrue(out.contains("cwd=/\n"), out);
        assertTrue(out.contains("umask=0022\n"), out);
        assertTrue(out.contains("env:PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nenv:PWD=/\n"), out);
        assertTrue(out.contains("env:TERM=xterm\n"), out);
        assertTrue(out.contains("env:HOME=/\n"), out); // no /etc/passwd in this rootfs: runc's "/"
        assertFalse(out.contains("_JRUNC"), out);
        assertEquals("0\n1\n2", out.substring(out.indexOf("fds:\n") + 5, out.indexOf("\n:fds")), out);
        assertTrue(mount(out, "/proc", "proc"), out);
        assertTrue(mount(out, "/dev", "tmpfs"), out);
        assertTrue(mount(out, "/dev/pts", "devpts"), out);
        assertTrue(mount(out, "/dev/shm", "tmpfs"), out);
        assertTrue(mount(out, "/dev/mqueue", "mqueue"), out);
        assertTrue(mount(out, "/sys", "sysfs"), out);
        assertTrue(mount(out, "/sys/fs/cgroup", "tmpfs"), out);
        assertTrue(mount(out, "/proc/keys", "tmpfs"), out); // the container's /dev/null (on the /dev tmpfs) bound on it
        assertTrue(out.contains("keys=0\n"), out);
        if (Files.isDirectory(Path.of("/proc/acpi"))) {
            assertTrue(mount(out, "/proc/acpi", "tmpfs"), out);
        }
        assertTrue(out.matches("(?s).*mnt:\\S+ \\S+ \\S+ \\S+ /proc/sys ro,.*"), out);
        assertTrue(out.matches("(?s).*mnt:\\S+ \\S+ \\S+ \\S+ / ro,.*"), out);
        assertTrue(out.contains("rootfs=ro\n"), out);
        assertTrue(out.contains("procsys=ro\n"), out);
        assertTrue(out.matches("(?s).*dev:crw-rw-rw- +1 0 +0 +1, +3 .* null\n.*"), out);
        assertTrue(out.matches("(?s).*dev:lrwxrwxrwx .* ptmx -> pts/ptmx\n.*"), out);
        assertTrue(out.matches("(?s).*dev:lrwxrwxrwx .* stdin -> /proc/self/fd/0\n.*"), out);
        assertTrue(out.matches("(?s).*dev:lrwxrwxrwx .* fd -> /proc/self/fd\n.*"), out);
        assertTrue(r.err().contains("driver: exit 7"), r.err());
        assertFalse(ProcessHandle.of(r.pid()).isPresent(), "container still alive");
    }

    /** A filter compiled by libseccomp (libjrunc through FFM) and loaded by the init, both positions. */
    @Test
    void seccompFilterIsLoadedWithAndWithoutNoNewPrivs() throws Exception {
        security = new Security(false, false, Security.backend(new dev.jrunc.sys.ffm.FfmSyscalls()));
        for (boolean nnp : new boolean[] {true, false}) {
            ObjectNode tree = spec("sh", "-c", String.join("; ",
                    "grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/self/status",
                    "mkdir /tmp/d; echo mkdir=$?",
                    "sleep 100 & p=$!; kill -TERM $p; echo term=$?; kill -KILL $p; echo kill=$?"));
            ObjectNode process = (ObjectNode) tree.get("process");
            process.put("noNewPrivileges", nnp);
            if (!nnp) {
                // a user without capabilities: the filter must be in before they are dropped
                process.putObject("user").put("uid", 1000).put("gid", 1000);
                process.putObject("capabilities");
            }
            ((ObjectNode) tree.get("root")).put("readonly", false);
            ObjectNode seccomp = ((ObjectNode) tree.get("linux")).putObject("seccomp");
            seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
            ArrayNode rules = seccomp.putArray("syscalls");
            ObjectNode mkdir = rules.addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", 13);
            mkdir.putArray("names").add("mkdir").add("mkdirat");
            ObjectNode kill = rules.addObject().put("action", "SCMP_ACT_ERRNO");
            kill.putArray("names").add("kill");
            kill.putArray("args").addObject().put("index", 1).put("value", 15).put("op", "SCMP_CMP_EQ");
            Result r = run(tree, host(false));
            String out = r.out();
            assertEquals(0, r.exit(), r.err() + out);
            assertTrue(out.contains("Seccomp:\t2\n"), out);
            assertTrue(out.contains("NoNewPrivs:\t" + (nnp ? 1 : 0) + "\n"), out);
            assertTrue(out.contains("mkdir=1\n"), out);
            assertTrue(r.err().contains("Permission denied"), r.err());
            assertTrue(out.contains("term=1\nkill=0\n"), out);
            if (!nnp) {
                assertTrue(out.contains("CapEff:\t0000000000000000\n"), out);
            }
            assertFalse(Files.exists(rootfs.resolve("tmp/d")));
        }
    }

    /** SCMP_ACT_KILL ends the process with SIGSYS (the driver reports 128+31). */
    @Test
    void seccompKillActionKillsWithSigsys() throws Exception {
        security = new Security(false, false, Security.backend(new dev.jrunc.sys.ffm.FfmSyscalls()));
        ObjectNode tree = spec("mkdir", "/tmp/d");
        ObjectNode seccomp = ((ObjectNode) tree.get("linux")).putObject("seccomp");
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("syscalls").addObject().put("action", "SCMP_ACT_KILL").putArray("names").add("mkdir").add("mkdirat");
        Result r = run(tree, host(false));
        assertEquals(128 + 31, r.exit(), r.err() + r.out());
    }

    /**
     * The LSM ops write the exec attribute. Compiled as if the host had the modules, on a host
     * without them: the kernel refuses the write, which shows the op reached it.
     */
    @Test
    void lsmOpsReachTheKernel() throws Exception {
        assumeTrue(!Files.exists(Path.of("/sys/fs/selinux/enforce")), "a host without SELinux");
        assumeTrue(!Files.exists(Path.of("/sys/kernel/security/apparmor")), "a host without AppArmor");
        security = new Security(true, true, SeccompCompiler.UNAVAILABLE);
        ObjectNode tree = spec("true");
        ((ObjectNode) tree.get("process")).put("selinuxLabel", "system_u:system_r:container_t:s0");
        Result r = run(tree, host(false));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("can't set process label: write /proc/self/attr/exec: "), r.err());

        tree = spec("true");
        ((ObjectNode) tree.get("process")).put("apparmorProfile", "jrunc-test");
        r = run(tree, host(false));
        assertEquals(1, r.exit(), r.err());
        // runc 1.1's text on such a host, too
        assertTrue(r.err().contains("unable to apply apparmor profile: apparmor failed to apply profile: "
                + "write /proc/self/attr/exec: invalid argument"), r.err());
    }

    /** True when mountinfo (lines prefixed "mnt:") has a mount of that type on that point. */
    static boolean mount(String out, String point, String fstype) {
        for (String line : out.split("\n")) {
            if (line.startsWith("mnt:")) {
                String[] f = line.substring(4).split(" ");
                int dash = List.of(f).indexOf("-");
                if (f[4].equals(point) && dash > 0 && f[dash + 1].equals(fstype)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void fifoBlocksUntilStartAndTheWaitingInitIsSmall() throws Exception {
        Process driver = start(spec("sh", "-c", "echo started"), host(false), "--wait-stdin", "--rss");
        String err = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!err.contains("driver: created") && System.nanoTime() < deadline && driver.isAlive()) {
            Thread.sleep(20);
            err = Files.readString(bundle.resolve("err"));
        }
        assertTrue(err.contains("driver: created"), err);
        long pid = containerPid(err).orElseThrow();
        containers.add(pid);
        Thread.sleep(300);
        // still blocked in open() of the fifo, nothing printed
        assertEquals("", Files.readString(bundle.resolve("out")));
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        assertEquals('S', stat.charAt(stat.lastIndexOf(')') + 2), stat);
        // blocked in openat() of the fifo: the kernel's wait_for_partner (x86-64 syscall 257)
        String wchan = Files.readString(Path.of("/proc/" + pid + "/wchan"));
        String syscall = Files.readString(Path.of("/proc/" + pid + "/syscall"));
        assertTrue(wchan.equals("wait_for_partner") || syscall.startsWith("257 "), wchan + " / " + syscall);
        Matcher m = Pattern.compile("driver: rss (\\d+) kB").matcher(err);
        assertTrue(m.find(), err);
        long rssKb = Long.parseLong(m.group(1));
        System.out.println("jrunc-init VmRSS while waiting on the exec fifo: " + rssKb + " kB");
        assertTrue(rssKb > 0 && rssKb < 2048, "VmRSS " + rssKb + " kB");
        try (OutputStream in = driver.getOutputStream()) {
            in.write("start\n".getBytes(StandardCharsets.UTF_8));
        }
        Result r = finish(driver);
        assertEquals(0, r.exit(), r.err());
        assertEquals("started\n", r.out());
        assertTrue(r.err().contains("driver: started"), r.err());
    }

    @Test
    void missingOrNonExecutableArgs0GivesRuncsText() throws Exception {
        Result r = run(spec("nonexistent"), host(false));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("driver: error exec: \"nonexistent\": executable file not found in $PATH\n"), r.err());

        r = run(spec("/bin/nope"), host(false));
        assertTrue(r.err().contains("driver: error exec: \"/bin/nope\": stat /bin/nope: no such file or directory\n"), r.err());

        r = run(spec("/bin/noexec"), host(false));
        assertTrue(r.err().contains("driver: error exec: \"/bin/noexec\": permission denied\n"), r.err());

        r = run(spec("/bin"), host(false));
        assertTrue(r.err().contains("driver: error exec: \"/bin\": is a directory\n"), r.err());
        assertFalse(r.err().contains("driver: ready"), r.err());
    }

    @Test
    void signalDeathBecomes128PlusN() throws Exception {
        // pid 1 of a pid namespace ignores its own SIGKILL: it comes from the host, as `jrunc kill` would send it
        Process driver = start(spec("sleep", "100"), host(false));
        String err = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!err.contains("driver: started") && System.nanoTime() < deadline && driver.isAlive()) {
            Thread.sleep(20);
            err = Files.readString(bundle.resolve("err"));
        }
        long pid = containerPid(err).orElseThrow();
        containers.add(pid);
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
        Result r = finish(driver);
        assertEquals(137, r.exit(), r.err());
    }

    @Test
    void userNamespaceWithMapsAndUnprivilegedUser() throws Exception {
        ObjectNode tree = spec("sh", "-c", String.join("; ",
                "echo uidmap=$(cat /proc/self/uid_map)",
                "echo id=$(id -u):$(id -g):$(id -G)",
                "ls -l /dev/null | sed 's/^/null:/'",
                "grep -E '^(CapEff|CapBnd):' /proc/self/status",
                "echo cwd=$(pwd)"));
        ArrayNode ns = (ArrayNode) tree.get("linux").get("namespaces");
        ns.addObject().put("type", "user");
        ObjectNode user = (ObjectNode) tree.get("process").get("user");
        user.put("uid", 1000).put("gid", 1000);
        user.putArray("additionalGids").add(5).add(100);
        ((ObjectNode) tree.get("process")).put("cwd", "/tmp");
        // the rootfs belongs to the container's root (host uid 100000), the bundle is reachable by it
        Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, new ProcessBuilder("chown", "-R", "100000:100000", rootfs.toString()).start().waitFor());
        Result r = run(tree, host(false), "--uid-map", "0 100000 65536", "--gid-map", "0 100000 65536");
        String out = r.out();
        assertEquals(0, r.exit(), r.err() + out);
        assertTrue(out.matches("(?s).*uidmap=\\s*0\\s+100000\\s+65536\n.*"), out);
        assertTrue(out.contains("id=1000:1000:1000 5 100\n"), out);
        // mknod is refused in a user namespace: the host's device is bound instead
        assertTrue(out.matches("(?s).*null:crw-rw-rw- .* 1, +3 .*"), out);
        assertTrue(out.contains("CapEff:\t0000000000000000\n"), out); // runc's default caps are not permitted to uid 1000's exec
        assertTrue(out.contains("CapBnd:\t0000000020000420\n"), out);
        assertTrue(out.contains("cwd=/tmp\n"), out);
    }

    @Test
    void noPivotMovesTheRootAndChroots() throws Exception {
        Result r = run(spec("sh", "-c", "echo hi from $(hostname); ls /bin/busybox"), host(true));
        assertEquals(0, r.exit(), r.err());
        assertEquals("hi from jrunc\n/bin/busybox\n", r.out());
    }

    @Test
    void mountTargetsCannotEscapeTheRootfsThroughSymlinks() throws Exception {
        // /escape -> /etc on the host, and a relative ../../.. chain: both must resolve inside the rootfs.
        Files.createSymbolicLink(rootfs.resolve("escape"), Path.of("/etc"));
        Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../../../../tmp"));
        ObjectNode tree = spec("sh", "-c", "cat /proc/self/mountinfo | sed 's/^/mnt:/'; ls -d /etc /tmp/sub");
        ArrayNode mounts = (ArrayNode) tree.get("mounts");
        mounts.addObject().put("destination", "/escape").put("type", "tmpfs").put("source", "tmpfs");
        mounts.addObject().put("destination", "/up/sub").put("type", "tmpfs").put("source", "tmpfs");
        Result r = run(tree, host(false));
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(mount(r.out(), "/etc", "tmpfs"), r.out());
        assertTrue(mount(r.out(), "/tmp/sub", "tmpfs"), r.out());
        assertTrue(Files.isDirectory(rootfs.resolve("etc")), "mount point made inside the rootfs");
        assertTrue(Files.isDirectory(rootfs.resolve("tmp/sub")), "mount point made inside the rootfs");
    }

    @Test
    void bindMountsOfFilesAndDirectoriesWithOptions() throws Exception {
        Files.writeString(bundle.resolve("hello.txt"), "hello from the host\n");
        Path dir = Files.createDirectories(bundle.resolve("shared"));
        Files.writeString(dir.resolve("f"), "in dir\n");
        ObjectNode tree = spec("sh", "-c", String.join("; ",
                "cat /etc/hello.txt /mnt/shared/f",
                "echo x > /mnt/shared/g 2>/dev/null && echo dir=rw || echo dir=ro",
                "grep ' /etc/hello.txt ' /proc/self/mountinfo | cut -d' ' -f6"));
        ArrayNode mounts = (ArrayNode) tree.get("mounts");
        mounts.addObject().put("destination", "/etc/hello.txt").put("type", "bind").put("source", "hello.txt")
                .putArray("options").add("bind").add("ro").add("nosuid");
        mounts.addObject().put("destination", "/mnt/shared").put("source", dir.toString())
                .putArray("options").add("rbind").add("rro");
        Result r = run(tree, host(false));
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals("hello from the host\nin dir\ndir=ro\nro,nosuid,relatime\n", r.out().replace("ro,nosuid,noatime", "ro,nosuid,relatime"));
        assertTrue(Files.isRegularFile(rootfs.resolve("etc/hello.txt")), "file mount point for a file bind");
    }

    @Test
    void sysctlRlimitsAndCapabilities() throws Exception {
        ObjectNode tree = spec("sh", "-c", String.join("; ",
                "cat /proc/sys/net/ipv4/ip_forward",
                "grep -E 'Max (open files|core file size)' /proc/self/limits",
                "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status"));
        ((ObjectNode) tree.get("linux")).putObject("sysctl").put("net.ipv4.ip_forward", "1");
        ObjectNode process = (ObjectNode) tree.get("process");
        process.put("noNewPrivileges", false);
        ArrayNode rl = process.putArray("rlimits");
        rl.addObject().put("type", "RLIMIT_NOFILE").put("hard", 512).put("soft", 256);
        rl.addObject().put("type", "RLIMIT_CORE").put("hard", new java.math.BigInteger("18446744073709551615")).put("soft", 0);
        ObjectNode caps = process.putObject("capabilities");
        for (String set : new String[] {"bounding", "permitted", "inheritable", "effective"}) {
            caps.putArray(set).add("CAP_NET_ADMIN").add("CAP_CHOWN");
        }
        caps.putArray("ambient").add("CAP_NET_ADMIN");
        Result r = run(tree, host(false));
        String out = r.out();
        assertEquals(0, r.exit(), r.err() + out);
        assertTrue(out.startsWith("1\n"), out);
        assertTrue(out.matches("(?s).*Max core file size +0 +unlimited .*"), out);
        assertTrue(out.matches("(?s).*Max open files +256 +512 .*"), out);
        assertTrue(out.contains("CapBnd:\t0000000000001001\n"), out);
        assertTrue(out.contains("CapAmb:\t0000000000001000\n"), out);
        assertTrue(out.contains("NoNewPrivs:\t0\n"), out);
    }

    @Test
    void setupErrorsReachTheParent() throws Exception {
        ObjectNode tree = spec("true");
        ((ObjectNode) tree.get("linux")).putObject("sysctl").put("kernel.no_such_knob", "1");
        Result r = run(tree, host(false));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("driver: error open /proc/sys/kernel/no_such_knob: no such file or directory"), r.err());
        assertFalse(ProcessHandle.of(r.pid()).isPresent(), "container left behind");
    }

    @Test
    void joinsNamespacesByPathAndChecksTheirType() throws Exception {
        String self = "/proc/" + ProcessHandle.current().pid() + "/ns/";
        String hostNet = Files.readSymbolicLink(Path.of(self + "net")).toString();
        String hostTime = Files.readSymbolicLink(Path.of("/proc/self/ns/time")).toString();
        ObjectNode tree = spec("sh", "-c", "readlink /proc/self/ns/net; readlink /proc/self/ns/time");
        ArrayNode ns = (ArrayNode) tree.get("linux").get("namespaces");
        for (int i = 0; i < ns.size(); i++) {
            if (ns.get(i).get("type").asText().equals("network")) {
                ((ObjectNode) ns.get(i)).put("path", self + "net");
            }
        }
        ns.addObject().put("type", "time");
        Result r = run(tree, host(false));
        assertEquals(0, r.exit(), r.err() + r.out());
        String[] lines = r.out().split("\n");
        assertEquals(hostNet, lines[0]);
        assertFalse(lines[1].equals(hostTime), "a new time namespace: " + r.out());

        for (int i = 0; i < ns.size(); i++) {
            if (ns.get(i).get("type").asText().equals("network")) {
                ((ObjectNode) ns.get(i)).put("path", self + "ipc");
            }
        }
        r = run(tree, host(false));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("driver: error setns " + self + "ipc (type 0x40000000): invalid argument"), r.err());
    }

    /** Each attribute as the container's process sees it in /proc (busybox has no chrt). */
    @Test
    void processAttributesSeenFromInside() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus > 1 && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            wrapper = List.of("/usr/bin/taskset", "-c", "0"); // the init must not keep the caller's affinity
        }
        ObjectNode tree = spec("sh", "-c", String.join("; ",
                "echo oom=$(cat /proc/self/oom_score_adj)",
                "cat /proc/self/timens_offsets",
                "echo machine=$(uname -m) persona=$(cat /proc/self/personality)",
                "grep -E '^policy' /proc/self/sched | tr -d ' '",
                "echo nice=$(cut -d' ' -f19 /proc/self/stat)",
                "ionice",
                "grep Cpus_allowed_list /proc/self/status",
                "echo HOME=$HOME"));
        ObjectNode process = (ObjectNode) tree.get("process");
        process.put("oomScoreAdj", 345);
        process.putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", 5);
        process.putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 6);
        process.putObject("execCPUAffinity").put("initial", "0").put("final", "0"); // not for the init
        ObjectNode linux = (ObjectNode) tree.get("linux");
        ((ArrayNode) linux.get("namespaces")).addObject().put("type", "time");
        linux.putObject("timeOffsets").putObject("monotonic").put("secs", 7881).put("nanosecs", 2718281);
        ((ObjectNode) linux.get("timeOffsets")).putObject("boottime").put("secs", -1337).put("nanosecs", 3141519);
        linux.putObject("personality").put("domain", "LINUX32");
        Result r = run(tree, host(false));
        assertEquals(0, r.exit(), r.err() + r.out());
        String all = "0-" + (cpus - 1);
        String expected = String.join("\n",
                "oom=345",
                "monotonic 7881 2718281",
                "boottime -1337 3141519",
                "machine=i686 persona=00000008",
                "policy:3",
                "nice=5",
                "best-effort: prio 6",
                "Cpus_allowed_list:\t" + (cpus == 1 ? "0" : all),
                "HOME=/",
                "");
        // the kernel pads the timens_offsets columns
        assertEquals(expected, r.out().replaceAll("(?m)^(monotonic|boottime) +(-?\\d+) +(\\d+)$", "$1 $2 $3"));
    }

    @Test
    void homeComesFromTheContainersPasswd() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), String.join("\n",
                "root:x:0:0:root:/root:/bin/sh",
                "broken",
                "app:x:1000:1000:App:/home/app:/bin/sh",
                "again:x:1000:1000::/elsewhere:/bin/sh", ""));
        ObjectNode tree = spec("sh", "-c", "env | grep HOME=; echo end");
        ObjectNode process = (ObjectNode) tree.get("process");
        ((ObjectNode) process.get("user")).put("uid", 1000).put("gid", 1000);
        ((ArrayNode) process.get("env")).add("HOME=");
        Result r = run(tree, host(false));
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals("HOME=/home/app\nend\n", r.out()); // the first entry, the empty HOME dropped

        ((ObjectNode) process.get("user")).put("uid", 4242);
        r = run(tree, host(false));
        assertEquals("HOME=/\nend\n", r.out()); // no entry: "/"

        ((ArrayNode) process.get("env")).add("HOME=/mine");
        r = run(tree, host(false));
        assertEquals("HOME=/mine\nend\n", r.out()); // set by the config: kept

        // a fifo in place of /etc/passwd must not block the init
        Files.delete(rootfs.resolve("etc/passwd"));
        new ProcessBuilder("mkfifo", rootfs.resolve("etc/passwd").toString()).start().waitFor();
        ((ArrayNode) process.get("env")).remove(((ArrayNode) process.get("env")).size() - 1);
        r = run(tree, host(false));
        assertEquals("HOME=/\nend\n", r.out());
    }

    @Test
    void processAttributeErrorsReachTheParent() throws Exception {
        // SCHED_DEADLINE wants runtime <= deadline <= period: the kernel says EINVAL
        ObjectNode tree = spec("true");
        ((ObjectNode) tree.get("process")).putObject("scheduler").put("policy", "SCHED_DEADLINE")
                .put("runtime", 2000000).put("deadline", 1000000).put("period", 1000000);
        Result r = run(tree, host(false));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("driver: error error setting scheduler: invalid argument"), r.err());

        // Without CAP_SYS_RESOURCE (this VM) oom_score_adj cannot go below its minimum (0)
        tree = spec("cat", "/proc/self/oom_score_adj");
        ((ObjectNode) tree.get("process")).put("oomScoreAdj", -500);
        r = run(tree, host(false));
        String status = Files.readString(Path.of("/proc/self/status"));
        long capEff = Long.parseLong(status.replaceAll("(?s).*\nCapEff:\t([0-9a-f]+)\n.*", "$1"), 16);
        if ((capEff & (1L << 24)) != 0) {
            assertEquals(0, r.exit(), r.err());
            assertEquals("-500\n", r.out());
        } else {
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("driver: error failed to update /proc/self/oom_score_adj: permission denied"), r.err());
        }
    }

    /** A hook run by the init: /bin/busybox as args[0] "sh" (busybox dispatches on argv[0]) with a script. */
    private static ObjectNode hook(ArrayNode list, String script, String... env) {
        ObjectNode h = list.addObject().put("path", "/bin/busybox");
        h.putArray("args").add("sh").add("-c").add(script);
        ArrayNode e = h.putArray("env");
        for (String v : env) {
            e.add(v);
        }
        return h;
    }

    /**
     * createContainer runs in the container's mount namespace before pivot_root (the bundle is
     * reachable at its host path, the working directory is the rootfs); startContainer runs after
     * it, once the fifo is opened, before the process. Both read the state with pid 1 (their pid
     * in the new pid namespace), get exactly their env, and their output is not the container's.
     */
    @Test
    void inContainerHooksSeeTheStateTheirNamespaceAndPaths() throws Exception {
        ObjectNode tree = spec("sh", "-c", "readlink /proc/self/ns/mnt; cat /tmp/started");
        ((ObjectNode) tree.get("root")).put("readonly", false);
        tree.putObject("annotations").put("k", "v");
        ObjectNode hooks = tree.putObject("hooks");
        String b = bundle.toString();
        hook(hooks.putArray("createContainer"), "{ cat; echo; readlink /proc/self/ns/mnt; pwd; env | grep ^H_; } > " + b
                + "/created; [ -d " + b + " ] && echo hidden-output", "H_A=1");
        hook(hooks.putArray("startContainer"), "{ cat; echo; [ -e " + b + " ] || echo no-host-path; env | grep ^H_; } > /tmp/started",
                "H_B=2");
        Result r = run(tree, host(false));
        assertEquals(0, r.exit(), r.err() + r.out());
        String[] created = Files.readString(bundle.resolve("created")).split("\n");
        String[] out = r.out().split("\n");
        String state = "{\"ociVersion\":\"1.3.0\",\"id\":\"init-test\",\"status\":\"%s\",\"pid\":1,\"bundle\":\"" + b
                + "\",\"annotations\":{\"k\":\"v\"}}";
        assertEquals(List.of(state.formatted("creating"), out[0], rootfs.toString(), "H_A=1"), List.of(created), r.out());
        assertEquals(List.of(out[0], state.formatted("created"), "no-host-path", "H_B=2"), List.of(out), r.err());
        assertFalse(r.out().contains("hidden-output"), r.out());
        assertFalse(Files.readString(bundle.resolve("out")).contains("hidden-output"));
    }

    /** A failing createContainer hook fails the init with runc's text; a failing startContainer hook never releases the fifo. */
    @Test
    void failingAndSlowInContainerHooks() throws Exception {
        ObjectNode tree = spec("true");
        hook(tree.putObject("hooks").putArray("createContainer"), "echo o; echo e >&2; exit 7");
        Result r = run(tree, host(false));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("driver: error error running hook #0: error running hook: exit status 7, stdout: o\n, stderr: e\n"), r.err());

        tree = spec("true");
        hook(tree.putObject("hooks").putArray("createContainer"), "exec sleep 30").put("timeout", 1);
        long t0 = System.nanoTime();
        r = run(tree, host(false));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("driver: error error running hook #0: hook ran past specified timeout of 1.0s"), r.err());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "killed after its timeout");

        tree = spec("sh", "-c", "echo the process ran");
        hook(tree.putObject("hooks").putArray("startContainer"), "kill -9 $$");
        r = run(tree, host(false));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("driver: exec fifo: no \"0\" from the init"), r.err());
        assertFalse(r.out().contains("the process ran"), r.out());
    }

    /** tmpcopyup: the tmpfs starts with a copy of the covered directory, fifos and device nodes included; the rootfs is untouched. */
    @Test
    void tmpcopyupCopiesTheCoveredDirectory() throws Exception {
        Path data = rootfs.resolve("data");
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("sub/f"), "deep\n");
        Files.createSymbolicLink(data.resolve("link"), Path.of("sub/f"));
        assertEquals(0, new ProcessBuilder("mkfifo", "-m", "0604", data.resolve("fifo2").toString()).start().waitFor());
        assertEquals(0, new ProcessBuilder("mknod", "-m", "0600", data.resolve("null").toString(), "c", "1", "3").start().waitFor());
        assertEquals(0, new ProcessBuilder("chown", "7:8", data.resolve("sub/f").toString()).start().waitFor());
        ObjectNode tree = spec("sh", "-c", "grep ' /data ' /proc/self/mountinfo | cut -d' ' -f9; cat /data/link;"
                + " stat -c '%n %a %u:%g %F %t,%T' /data/sub/f /data/fifo2 /data/null; touch /data/new && echo written");
        ObjectNode m = ((ArrayNode) tree.get("mounts")).addObject().put("destination", "/data").put("type", "tmpfs").put("source", "tmpfs");
        m.putArray("options").add("tmpcopyup");
        Result r = run(tree, host(false));
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals(List.of("tmpfs", "deep", "/data/sub/f 644 7:8 regular file 0,0", "/data/fifo2 604 0:0 fifo 0,0",
                "/data/null 600 0:0 character special file 1,3", "written"), List.of(r.out().split("\n")), r.err());
        assertFalse(Files.exists(rootfs.resolve("data/new")));
    }

    @Test
    void corruptPlanIsRefusedBeforeAnythingRuns() throws Exception {
        Path plan = bundle.resolve("bad.bin");
        byte[] good = PlanWriter.encode(PlanCompiler.compile(SpecReader.toSpec(spec("true")), host(false)));
        Files.write(plan, java.util.Arrays.copyOf(good, good.length - 3));
        Process p = new ProcessBuilder(InitTools.driver().toString(), InitTools.init().toString(), plan.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor());
        assertTrue(out.contains("driver: error plan: body length"), out);
    }

}
