package dev.jrunc.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrunc.JruncException;
import dev.jrunc.KernelTest;
import dev.jrunc.cgroups.CgroupMount;
import dev.jrunc.cgroups.DeviceRules;
import dev.jrunc.cgroups.DeviceRules.Rule;
import dev.jrunc.cgroups.ResourcesWriter;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.sys.Syscalls;
import dev.jrunc.sys.ffm.FfmSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device programs on this host's real cgroup2 hierarchy (root; on the hybrid test VM the cgroup2
 * mount at /sys/fs/cgroup/unified has no controllers, but device programs attach to any cgroup2
 * directory): a process moved into the cgroup is refused the devices the rules deny, and a
 * replaced program takes effect at once. The directory is removed after each test.
 */
@KernelTest
class DeviceProgramKernelTest {
    private final Syscalls sys = new FfmSyscalls();
    private Path mount;
    private Path dir;

    @BeforeEach
    void make() throws Exception {
        assumeTrue(sys.geteuid() == 0, "needs root");
        mount = cgroup2Mount();
        assumeTrue(mount != null, "needs a cgroup2 mount");
        dir = Files.createDirectory(mount.resolve("jrunc-devices-test-" + ProcessHandle.current().pid()));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dir == null) {
            return;
        }
        // the children have exited and were waited for; the cgroup (and its programs) goes
        for (int i = 0; i < 100 && Files.isDirectory(dir); i++) {
            try {
                Files.delete(dir);
            } catch (java.io.IOException e) {
                Thread.sleep(10);
            }
        }
        assertFalse(Files.isDirectory(dir), "cgroup " + dir + " left behind");
    }

    private static Path cgroup2Mount() throws Exception {
        for (CgroupMount m : CgroupMount.parse(Files.readString(Path.of("/proc/self/mountinfo")))) {
            if (m.version() == 2) {
                return m.mountPoint();
            }
        }
        return null;
    }

    private static Rule rule(boolean allow, char type, long major, long minor, String access) {
        return new Rule(allow, type, major, minor, access);
    }

    /** Runs {@code script} in a shell that first moves itself into the test cgroup; stdout and stderr. */
    private String runInCgroup(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "echo $$ > " + dir.resolve("cgroup.procs") + " || exit 99; " + script)
                .redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the shell did not finish");
            assertNotEquals(99, p.exitValue(), "could not join " + dir + ": " + out);
            return out;
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private int[] attached() throws Exception {
        int fd = sys.open(dir.toString(), 0200000);
        try {
            return DeviceProgram.attachedIds(sys, fd);
        } finally {
            sys.close(fd);
        }
    }

    /** Whether the output has the open of {@code device} refused by the cgroup (EPERM). */
    private static boolean refused(String out, String device) {
        return out.lines().anyMatch(l -> l.contains(device) && l.contains("Operation not permitted"));
    }

    private static final String PROBE = "head -c1 /dev/zero | wc -c; cat /dev/null; echo null=$?";

    @Test
    void deniedDevicesAreRefusedAndAReplacedProgramTakesOver() throws Exception {
        DeviceProgram.apply(sys, dir, DeviceFilter.compile(List.of(rule(false, 'a', -1, -1, "rwm"), rule(true, 'c', 1, 3, "rwm"))));
        int[] first = attached();
        assertEquals(1, first.length, "one program attached");
        String out = runInCgroup(PROBE);
        assertTrue(refused(out, "/dev/zero"), out);
        assertTrue(out.contains("null=0"), "/dev/null (1:3) is allowed: " + out);

        // update: the new program (only 1:5) replaces the old one in place
        DeviceProgram.apply(sys, dir, DeviceFilter.compile(List.of(rule(false, 'a', -1, -1, "rwm"), rule(true, 'c', 1, 5, "rwm"))));
        int[] second = attached();
        assertEquals(1, second.length, "still one program attached");
        assertNotEquals(first[0], second[0], "a new program");
        out = runInCgroup(PROBE);
        assertTrue(out.lines().anyMatch(l -> l.trim().equals("1")), "/dev/zero (1:5) gives its byte: " + out);
        assertTrue(refused(out, "/dev/null"), out);
        assertTrue(out.contains("null=1"), out);
    }

    @Test
    void severalOldProgramsAreAllReplaced() throws Exception {
        byte[] denyAll = DeviceFilter.compile(List.of(rule(false, 'a', -1, -1, "rwm")));
        int cgroup = sys.open(dir.toString(), 0200000);
        try {
            for (int i = 0; i < 2; i++) {
                int prog = DeviceProgram.load(sys, denyAll);
                try {
                    sys.bpfAttachCgroupDevice(cgroup, prog, -1);
                } finally {
                    sys.close(prog);
                }
            }
        } finally {
            sys.close(cgroup);
        }
        assertEquals(2, attached().length);
        assertTrue(runInCgroup("cat /dev/null; echo null=$?").contains("null=1"));
        DeviceProgram.apply(sys, dir, DeviceFilter.compile(List.of(rule(true, 'a', -1, -1, "rwm"))));
        assertEquals(1, attached().length, "the two old ones detached");
        assertTrue(runInCgroup("cat /dev/null; echo null=$?").contains("null=0"));
    }

    @Test
    void createAndUpdateOnAV2HostPutRuncsRulesThere() throws Exception {
        // ResourcesWriter as on a host whose only hierarchy is this cgroup2 mount
        List<CgroupMount> mounts = List.of(new CgroupMount(mount, "/", 2, Set.of()));
        Map<String, Path> dirs = Map.of("unified", dir);
        Resources r = Json.mapper().readValue("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}", Resources.class);
        ResourcesWriter.applyV2(sys, mounts, dirs, r, List.of(), true);
        String probe = "head -c1 /dev/zero | wc -c; dd if=/dev/kmsg of=/dev/null count=0; echo kmsg=$?";
        String out = runInCgroup(probe);
        assertTrue(out.lines().anyMatch(l -> l.trim().equals("1")), "/dev/zero is on runc's allow list: " + out);
        assertTrue(refused(out, "/dev/kmsg") && out.contains("kmsg=1"), "/dev/kmsg (1:11) is not: " + out);

        Resources stored = Json.mapper().readValue(
                "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"r\"}]}",
                Resources.class);
        // a state directory without a saved config: no linux.devices
        Path stateDir = java.nio.file.Files.createTempDirectory("jrunc-state");
        try {
            ResourcesWriter.updateDevicesV2(sys, dirs, stored, stateDir);
        } finally {
            java.nio.file.Files.delete(stateDir);
        }
        assertEquals(1, attached().length);
        assertTrue(runInCgroup(probe).contains("kmsg=0"), "the updated rules allow reading /dev/kmsg");
    }

    @Test
    void aProgramTheVerifierRefusesIsAClearErrorAndNothingIsAttached() throws Exception {
        byte[] noReturnValue = {(byte) 0x95, 0, 0, 0, 0, 0, 0, 0}; // exit without setting R0
        JruncException e = assertThrows(JruncException.class, () -> DeviceProgram.apply(sys, dir, noReturnValue));
        assertTrue(e.getMessage().startsWith("load program: permission denied: the BPF verifier refused the cgroup device program: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("R0 !read_ok"), e.getMessage());
        assertEquals(0, attached().length);
        // a jump out of the program
        byte[] wild = DeviceFilter.encode(List.of(new DeviceFilter.Insn(0x55, 2, 0, 40, 1), new DeviceFilter.Insn(0xb4, 0, 0, 0, 1),
                new DeviceFilter.Insn(0x95, 0, 0, 0, 0)));
        e = assertThrows(JruncException.class, () -> DeviceProgram.apply(sys, dir, wild));
        assertTrue(e.getMessage().contains("BPF verifier"), e.getMessage());
        assertEquals(0, attached().length);
    }

    @Test
    void runcsDefaultRulesLoadAsOneProgram() throws Exception {
        // the whole default allow list plus a config's rules: accepted by the verifier
        DeviceProgram.apply(sys, dir, DeviceFilter.compile(DeviceRules.effective(
                Json.mapper().readValue("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"b\",\"major\":7,"
                        + "\"access\":\"r\"}]}", Resources.class).devices(), List.of())));
        assertEquals(1, attached().length);
        assertTrue(runInCgroup("cat /dev/null; echo null=$?").contains("null=0"));
    }
}
