package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.KernelTest;
import dev.jrunc.cli.JruncBinary.Result;
import dev.jrunc.json.Json;
import dev.jrunc.state.ProcStat;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract, driven through the executable under test (native image or JVM launcher). */
@KernelTest
class CliBinaryTest {
    @TempDir
    Path tmp;

    private Result jrunc(String... args) throws Exception {
        return JruncBinary.run(tmp, args);
    }

    @Test
    void versionNamesJruncAndTheSpec() throws Exception {
        Result r = jrunc("--version");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("jrunc version 0.1.0\ncommit: "), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("commit: \\S+")), r.toString());
        assertTrue(r.out().contains("spec: 1.3.0"), r.toString());
        assertEquals("", r.err());
    }

    @Test
    void helpListsOnlyWorkingCommands() throws Exception {
        Result r = jrunc("--help");
        assertEquals(0, r.exit(), r.toString());
        for (String cmd : new String[] {"spec", "validate", "state", "list", "features"}) {
            assertTrue(r.out().contains("  " + cmd + " "), cmd + " missing:\n" + r);
        }
        Result unknown = jrunc("checkpoint", "x");
        assertEquals(1, unknown.exit(), unknown.toString());
    }

    @Test
    void stateOfMissingContainer() throws Exception {
        Path root = tmp.resolve("root");
        Result r = jrunc("--root", root.toString(), "state", "nope");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().matches("time=\"[^\"]+\" level=error msg=\"container \\\\\"nope\\\\\" does not exist\"\n"), r.err());
        assertFalse(Files.exists(root), "state must not create the root");
    }

    @Test
    void jsonLogFileInBothFlagForms() throws Exception {
        Path log = tmp.resolve("log.json");
        Result r = jrunc("--root=" + tmp.resolve("root"), "--log", log.toString(), "--log-format=json", "state", "nope");
        assertEquals(1, r.exit());
        assertEquals("container \"nope\" does not exist\n", r.err());
        JsonNode line = Json.mapper().readTree(Files.readString(log).trim());
        assertEquals("error", line.get("level").asText());
        assertEquals("container \"nope\" does not exist", line.get("msg").asText());
        assertTrue(line.get("time").asText().endsWith("Z"));
    }

    @Test
    void badGlobalFlagValues() throws Exception {
        Result format = jrunc("--log-format", "xml", "list");
        assertEquals(1, format.exit());
        assertTrue(format.err().contains("invalid log-format: xml"), format.toString());
        Result rootless = jrunc("--rootless", "maybe", "--root", tmp.toString(), "list");
        assertEquals(1, rootless.exit());
        assertTrue(rootless.err().contains("invalid --rootless value maybe"), rootless.toString());
    }

    @Test
    void invalidIdsAreRefusedAndTouchNothing() throws Exception {
        Path root = tmp.resolve("root");
        for (String id : new String[] {"..", "../../etc", "a/b", "x y"}) {
            Result r = jrunc("--root", root.toString(), "state", id);
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("invalid container ID format"), r.toString());
        }
        assertFalse(Files.exists(root));
    }

    @Test
    void emptyList() throws Exception {
        String root = tmp.resolve("root").toString();
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n", jrunc("--root", root, "list").out());
        assertEquals("null\n", jrunc("--root", root, "list", "--format", "json").out());
        assertEquals("", jrunc("--root", root, "list", "-q").out());
        Result bad = jrunc("--root", root, "list", "--format", "yaml");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("invalid format option"), bad.toString());
    }

    /** A container whose init is a real process of this test: created, running, stopped, pid reuse. */
    @Test
    void stateAndListFollowTheInitProcess() throws Exception {
        Path root = tmp.resolve("root");
        StateStore store = new StateStore(root);
        Process init = new ProcessBuilder("sleep", "60").start();
        try {
            int pid = (int) init.pid();
            long start = ProcStat.read(pid).orElseThrow().startTime();
            Path dir = store.create("c1");
            store.save(new ContainerRecord("1.3.0", "c1", pid, start, Status.CREATED, "/bundle", "/bundle/rootfs",
                    "2026-11-25T10:40:06.1146813Z", Map.of("org.example", "v"), Map.of(), false, null, Map.of()));
            Process fifo = new ProcessBuilder("mkfifo", dir.resolve(StateStore.EXEC_FIFO).toString()).start();
            assertEquals(0, fifo.waitFor());

            Result created = jrunc("--root", root.toString(), "state", "c1");
            assertEquals(0, created.exit(), created.toString());
            assertEquals("{\n  \"ociVersion\": \"1.3.0\",\n  \"id\": \"c1\",\n  \"pid\": " + pid + ",\n  \"status\": \"created\",\n"
                    + "  \"bundle\": \"/bundle\",\n  \"rootfs\": \"/bundle/rootfs\",\n  \"created\": \"2026-11-25T10:40:06.1146813Z\",\n"
                    + "  \"owner\": \"\",\n  \"annotations\": {\n    \"org.example\": \"v\"\n  }\n}", created.out());

            Files.delete(dir.resolve(StateStore.EXEC_FIFO));
            JsonNode running = Json.mapper().readTree(jrunc("--root", root.toString(), "state", "c1").out());
            assertEquals("running", running.get("status").asText());

            JsonNode listed = Json.mapper().readTree(jrunc("--root", root.toString(), "list", "--format", "json").out());
            assertEquals(1, listed.size());
            assertEquals("c1", listed.get(0).get("id").asText());
            assertEquals("root", listed.get(0).get("owner").asText());
            assertEquals(pid, listed.get(0).get("pid").asInt());
            String table = jrunc("--root", root.toString(), "list").out();
            assertTrue(table.contains("c1          " + pid), table);
            assertEquals("c1\n", jrunc("--root", root.toString(), "list", "-q").out());

            // the same pid with another start time is another process: the container stopped
            store.save(new ContainerRecord("1.3.0", "c1", pid, start + 1, Status.CREATED, "/bundle", "/bundle/rootfs",
                    "t", Map.of(), Map.of(), false, null, Map.of()));
            JsonNode reused = Json.mapper().readTree(jrunc("--root", root.toString(), "state", "c1").out());
            assertEquals("stopped", reused.get("status").asText());
            assertEquals(0, reused.get("pid").asInt());
        } finally {
            init.destroyForcibly();
            init.waitFor(10, TimeUnit.SECONDS);
        }
        JsonNode stopped = Json.mapper().readTree(jrunc("--root", root.toString(), "state", "c1").out());
        assertEquals("stopped", stopped.get("status").asText());
    }

    @Test
    void specWritesRuncsDefaultAndRefusesToOverwrite() throws Exception {
        Result r = jrunc("spec");
        assertEquals(0, r.exit(), r.toString());
        String written = Files.readString(tmp.resolve("config.json"));
        assertTrue(written.startsWith("{\n\t\"ociVersion\": \"1.3.0\",\n"), written);
        Result again = jrunc("spec");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("File config.json exists. Remove it first"), again.toString());
        assertEquals(written, Files.readString(tmp.resolve("config.json")));

        Path other = Files.createDirectory(tmp.resolve("other"));
        assertEquals(0, jrunc("spec", "--rootless", "--bundle", other.toString()).exit());
        JsonNode rootless = Json.mapper().readTree(other.resolve("config.json").toFile());
        assertEquals("user", rootless.at("/linux/namespaces").findValuesAsText("type").stream()
                .filter("user"::equals).findFirst().orElseThrow());
        assertFalse(rootless.at("/linux/namespaces").findValuesAsText("type").contains("network"));
        assertEquals(0, rootless.at("/linux/uidMappings/0/hostID").asInt());

        Result missing = jrunc("spec", "-b", tmp.resolve("nope").toString());
        assertEquals(1, missing.exit());
        assertFalse(Files.exists(tmp.resolve("nope")));
    }

    @Test
    void validateAcceptsTheSpecOutput() throws Exception {
        Files.createDirectory(tmp.resolve("rootfs"));
        assertEquals(0, jrunc("spec").exit());
        Result ok = jrunc("validate");
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals("config.json: valid\n", ok.out());
    }

    @Test
    void validateListsEveryViolationWithItsPointer() throws Exception {
        Files.createDirectory(tmp.resolve("rootfs"));
        ObjectNode spec = dev.jrunc.spec.SpecGenerator.defaultSpec();
        ((ObjectNode) spec.get("process")).put("cwd", "relative");
        ((com.fasterxml.jackson.databind.node.ArrayNode) spec.at("/linux/namespaces")).addObject().put("type", "pid");
        Files.writeString(tmp.resolve("config.json"), Json.pretty(spec));
        Result r = jrunc("validate", "--bundle", tmp.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("config.json: /linux/namespaces/6/type: duplicate namespace type \"pid\"\n"), r.err());
        assertTrue(r.err().contains("config.json: /process/cwd: must be an absolute path, got \"relative\"\n"), r.err());
    }

    @Test
    void validateOfBrokenBundles() throws Exception {
        Result none = jrunc("validate", "-b", tmp.toString());
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("JSON specification file config.json not found"), none.toString());
        Files.writeString(tmp.resolve("config.json"), "{\"ociVersion\": ");
        Result broken = jrunc("validate", "-b", tmp.toString());
        assertEquals(1, broken.exit());
        assertTrue(broken.err().contains("not valid JSON"), broken.toString());
        assertEquals(0, jrunc("spec", "-b", Files.createDirectory(tmp.resolve("norootfs")).toString()).exit());
        Result noRootfs = jrunc("validate", "-b", tmp.resolve("norootfs").toString());
        assertEquals(1, noRootfs.exit());
        assertTrue(noRootfs.err().contains("/root/path: invalid rootfs: stat " + tmp.resolve("norootfs/rootfs") + ": no such file or directory"), noRootfs.toString());
    }

    @Test
    void featuresClaimOnlyWhatWorks() throws Exception {
        Result r = jrunc("features");
        assertEquals(0, r.exit(), r.toString());
        JsonNode f = Json.mapper().readTree(r.out());
        assertEquals("1.3.0", f.get("ociVersionMax").asText());
        assertEquals("1.0.0", f.get("ociVersionMin").asText());
        assertTrue(r.out().startsWith("{\n    \"ociVersionMin\""), r.out());
        assertEquals(java.util.List.of(), dev.jrunc.spec.validate.SchemaValidator
                .ours(dev.jrunc.spec.validate.SchemaValidator.Document.FEATURES).validate(f));
        assertTrue(f.at("/linux/namespaces").toString().contains("\"user\""), r.out());
        assertTrue(f.at("/mountOptions").toString().contains("\"rbind\""), r.out());
        assertEquals(true, f.at("/linux/seccomp/enabled").asBoolean(), r.out());
        assertTrue(f.at("/linux/seccomp/actions").toString().contains("\"SCMP_ACT_NOTIFY\""), r.out());
        assertTrue(f.at("/linux/seccomp/archs").toString().contains("\"SCMP_ARCH_X86_64\""), r.out());
        assertTrue(f.at("/linux/seccomp/operators").toString().contains("\"SCMP_CMP_MASKED_EQ\""), r.out());
        // the kernel's answer (probed through libseccomp's trick): LOG exists since Linux 4.14
        assertTrue(f.at("/linux/seccomp/supportedFlags").toString().contains("\"SECCOMP_FILTER_FLAG_LOG\""), r.out());
    }
}
