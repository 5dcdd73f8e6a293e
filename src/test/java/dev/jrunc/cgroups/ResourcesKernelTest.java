package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.KernelTest;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Resources;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits against this host's real cgroup v1 hierarchies (root needed; the test removes
 * what it makes): written, and enforced on a process that joins after they are set.
 */
@KernelTest
class ResourcesKernelTest {
    private final String id = "jrunc-res-test-" + ProcessHandle.current().pid();
    private CgroupHierarchies manager;
    private Map<String, Path> dirs;
    private Process proc;

    @BeforeEach
    void make() throws Exception {
        manager = CgroupHierarchies.host();
        dirs = manager.paths("/" + id + "/ctr", id);
        manager.create(dirs);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (proc != null) {
            proc.destroyForcibly();
            proc.waitFor(10, TimeUnit.SECONDS);
        }
        // what the shell left behind (background sleeps) goes too, then the cgroup
        for (int i = 0; i < 250; i++) {
            List<String> left = Files.readAllLines(dir("pids").resolve("cgroup.procs"));
            if (left.isEmpty()) {
                break;
            }
            for (String pid : left) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
            Thread.sleep(20);
        }
        CgroupHierarchies.destroy(dirs);
        for (Path dir : dirs.values()) {
            Files.deleteIfExists(dir.getParent());
        }
    }

    private void apply(String json) throws Exception {
        Resources r = Json.mapper().readValue(json, Resources.class);
        if (ResourcesWriter.v1(manager.mounts())) {
            ResourcesWriter.applyV1(dirs, r, List.of());
        } else {
            ResourcesWriter.applyV2(new dev.jrunc.sys.FakeSyscalls(), manager.mounts(), dirs, r, List.of(), true);
        }
    }

    private Path dir(String controller) {
        return dirs.entrySet().stream().filter(e -> List.of(e.getKey().split(",")).contains(controller)).findFirst().orElseThrow()
                .getValue();
    }

    /** Starts sh -c SCRIPT, which waits for a line on stdin: the test joins it to the cgroup first. */
    private String runJoined(String script) throws Exception {
        proc = new ProcessBuilder("sh", "-c", "read go; " + script).redirectErrorStream(true).start();
        manager.join(dirs, (int) proc.pid());
        try (OutputStream in = proc.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void aMemoryHogIsOomKilledUnderTheLimit() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ResourcesWriter.v1(manager.mounts()), "v1 host");
        apply("{\"memory\":{\"limit\":67108864,\"swap\":67108864}}");
        assertEquals("67108864", Files.readString(dir("memory").resolve("memory.limit_in_bytes")).trim());
        assertEquals("67108864", Files.readString(dir("memory").resolve("memory.memsw.limit_in_bytes")).trim());
        String out = runJoined("head -c 200m /dev/zero | tail >/dev/null; echo tail=$?");
        assertTrue(out.contains("tail=137"), out);
    }

    @Test
    void forksStopAtThePidsLimit() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ResourcesWriter.v1(manager.mounts()), "v1 host");
        apply("{\"pids\":{\"limit\":5}}");
        assertEquals("5", Files.readString(dir("pids").resolve("pids.max")).trim());
        String out = runJoined("for i in 1 2 3 4 5 6 7 8; do sleep 3 & done; wait");
        assertTrue(out.toLowerCase().contains("fork"), out);
    }

    @Test
    void impossibleValuesFailInRuncsWords() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ResourcesWriter.v1(manager.mounts()), "v1 host");
        JruncException e = assertThrows(JruncException.class, () -> apply("{\"cpu\":{\"cpus\":\"999\"}}"));
        assertEquals("failed to write \"999\": write " + dir("cpuset").resolve("cpuset.cpus") + ": numerical result out of range",
                e.getMessage());
        // a shell holding 20 MB of anonymous memory (this host has no swap to push it to)
        proc = new ProcessBuilder("sh", "-c", "read go; x=$(head -c 20m /dev/zero | tr '\\0' a); echo held; read y").start();
        manager.join(dirs, (int) proc.pid());
        proc.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        proc.getOutputStream().flush();
        byte[] held = proc.getInputStream().readNBytes(5);
        assertEquals("held\n", new String(held, StandardCharsets.UTF_8));
        e = assertThrows(JruncException.class, () -> apply("{\"memory\":{\"limit\":4096}}"));
        assertTrue(e.getMessage().startsWith("unable to set memory limit to 4096 (current usage: "), e.getMessage());
    }
}
