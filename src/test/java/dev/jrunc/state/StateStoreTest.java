package dev.jrunc.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    static ContainerRecord record(String id, int pid, long start) {
        return new ContainerRecord("1.3.0", id, pid, start, Status.CREATED, "/b", "/b/rootfs",
                "2026-11-25T10:40:06.1146813Z", Map.of("a", "b"), Map.of(), false, null, Map.of());
    }

    @Test
    void createSaveLoadRemove() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        Path dir = store.create("c1");
        assertTrue(Files.isDirectory(dir));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("root"))));
        assertFalse(store.exists("c1"));
        store.save(record("c1", 42, 7));
        assertTrue(store.exists("c1"));
        ContainerRecord back = store.load("c1");
        assertEquals(record("c1", 42, 7), back);
        assertEquals(List.of("state.json"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
        store.remove("c1");
        assertFalse(Files.exists(dir));
        store.remove("c1");
    }

    @Test
    void removeTakesSubdirectoriesAndNeverFollowsASymlink() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        Path dir = store.create("c2");
        store.save(record("c2", 42, 7));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Files.createDirectories(dir.resolve("notify/deeper"));
        Files.writeString(dir.resolve("notify/deeper/f"), "y");
        Files.createSymbolicLink(dir.resolve("link"), outside);
        Files.createSymbolicLink(dir.resolve("notify/link"), outside.resolve("keep"));
        store.remove("c2");
        assertFalse(Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("x", Files.readString(outside.resolve("keep")));
        assertTrue(Files.isDirectory(tmp.resolve("root")));
    }

    @Test
    void theCreatingRecordIsItsOwnFileUntilTheCreatedOneReplacesIt() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        Path dir = store.create("c1");
        ContainerRecord created = record("c1", 42, 7);
        store.save(created.withPhase(Status.CREATING));
        assertTrue(store.exists("c1"));
        assertEquals(Status.CREATING, store.load("c1").phase());
        assertEquals(List.of("state.json.creating"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
        store.save(created);
        assertEquals(created, store.load("c1"));
        // no file was replaced, and the creating record is gone
        assertEquals(List.of("state.json"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aFinishedCreateWinsOverAStaleCreatingRecord() throws Exception {
        // create died between writing state.json and removing the creating record
        StateStore store = new StateStore(tmp.resolve("root"));
        Path dir = store.create("c1");
        ContainerRecord created = record("c1", 42, 7);
        store.save(created);
        Files.write(dir.resolve(StateStore.CREATING_FILE), StateCodec.write(created.withPhase(Status.CREATING)));
        assertEquals(Status.CREATED, store.load("c1").phase());
    }

    @Test
    void duplicateIdIsRefused() throws Exception {
        StateStore store = new StateStore(tmp);
        store.create("dup");
        JruncException e = assertThrows(JruncException.class, () -> store.create("dup"));
        assertEquals("container with given ID already exists: dup", e.getMessage());
    }

    @Test
    void missingContainerHasRuncsMessage() {
        StateStore store = new StateStore(tmp);
        JruncException e = assertThrows(JruncException.class, () -> store.load("nope"));
        assertEquals("container \"nope\" does not exist", e.getMessage());
    }

    @Test
    void pathTraversalIdsAreRefusedBeforeAnyFileAccess() {
        StateStore store = new StateStore(tmp.resolve("root"));
        for (String bad : new String[] {"..", ".", "../etc", "a/b", "/abs", "", "a b", "x\0y"}) {
            assertThrows(JruncException.class, () -> store.create(bad), bad);
            assertThrows(JruncException.class, () -> store.load(bad), bad);
        }
        assertFalse(Files.exists(tmp.resolve("root")));
    }

    @Test
    void corruptStateIsReportedNotIgnored() throws Exception {
        StateStore store = new StateStore(tmp);
        store.create("bad");
        Files.writeString(tmp.resolve("bad/state.json"), "{not json");
        JruncException e = assertThrows(JruncException.class, () -> store.load("bad"));
        assertTrue(e.getMessage().startsWith("corrupt state file"), e.getMessage());
    }

    @Test
    void idsAreSortedAndIgnoreStrayFiles() throws Exception {
        StateStore store = new StateStore(tmp);
        store.create("b");
        store.create("a");
        Files.writeString(tmp.resolve("stray-file"), "x");
        assertEquals(List.of("a", "b"), store.ids());
        assertEquals(List.of(), new StateStore(tmp.resolve("absent")).ids());
    }

    @Test
    void unknownMembersOfStateJsonSurviveASave() throws Exception {
        StateStore store = new StateStore(tmp);
        store.create("x");
        Files.writeString(tmp.resolve("x/state.json"),
                "{\"id\":\"x\",\"pid\":1,\"pidStartTime\":2,\"phase\":\"created\",\"bundle\":\"/b\",\"created\":\"t\",\"cgroupPaths\":{},\"futureField\":[1,2]}");
        ContainerRecord r = store.load("x");
        store.save(r);
        assertTrue(Files.readString(tmp.resolve("x/state.json")).contains("\"futureField\":[1,2]"));
    }

    @Test
    void aCorruptStateFileIsReportedWithItsPathAndWhy() throws Exception {
        StateStore store = new StateStore(tmp);
        store.create("c");
        Path file = tmp.resolve("c/state.json");
        String good = "\"id\":\"c\",\"pid\":5,\"phase\":\"created\",\"bundle\":\"/b\",\"created\":\"t\",\"cgroupPaths\":{}";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", "the file is empty");
        cases.put("not json", "not valid JSON: ");
        cases.put("[1]", "not a JSON object");
        cases.put("null", "not a JSON object");
        cases.put("{" + good, "not valid JSON: ");
        cases.put("{" + good + "} {}", "trailing content");
        cases.put("{" + good + ",\"pid\":\"x\"}", "member \"pid\" is not an integer");
        cases.put("{" + good + ",\"pid\":-1}", "member \"pid\" is not an integer");
        cases.put("{" + good + ",\"pid\":99999999999}", "member \"pid\" is not an integer");
        cases.put("{" + good + ",\"pid\":1.5}", "member \"pid\" is not an integer");
        cases.put("{" + good + ",\"pidStartTime\":123456789012345678901234567890}", "member \"pidStartTime\" is not an integer");
        cases.put("{" + good + ",\"phase\":3}", "member \"phase\" is not a string");
        cases.put("{" + good + ",\"phase\":\"bogus\"}", "member \"phase\" is not a known phase");
        cases.put("{" + good + ",\"id\":5}", "member \"id\" is not a string");
        cases.put("{" + good + ",\"id\":\"other\"}", "member \"id\" is \"other\", not the container's id");
        cases.put("{" + good + ",\"bundle\":null}", "member \"bundle\" is not a string");
        cases.put("{" + good + ",\"rootless\":\"yes\"}", "member \"rootless\" is not a boolean");
        cases.put("{" + good + ",\"cgroupPaths\":[1]}", "member \"cgroupPaths\" is not an object");
        cases.put("{" + good + ",\"cgroupPaths\":{\"pids\":\"=\"}}", "member \"cgroupPaths\" has a path that is not absolute (\"pids\")");
        cases.put("{" + good + ",\"cgroupPaths\":{\"pids\":\"/sys/fs/cgroup/pids/../../../etc\"}}", "member \"cgroupPaths\" has a path");
        cases.put("{" + good + ",\"cgroupPaths\":{\"x\":null}}", "member \"cgroupPaths\" has a value that is not a string");
        cases.put("{" + good + ",\"annotations\":{\"a\":{\"b\":1}}}", "member \"annotations\" has a value that is not a string");
        cases.put("{\"pid\":5,\"phase\":\"created\",\"bundle\":\"/b\",\"created\":\"t\",\"cgroupPaths\":{}}", "member \"id\" is missing");
        cases.put("{\"id\":\"c\",\"pid\":5,\"phase\":\"created\",\"bundle\":\"/b\",\"created\":\"t\"}", "member \"cgroupPaths\" is missing");
        cases.put("{" + good + ",\"cgroupPaths\":null}", "member \"cgroupPaths\" is missing");
        cases.put("{" + good + ",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "JSON nested too deep");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Files.writeString(file, c.getKey());
            JruncException e = assertThrows(StateStore.CorruptState.class, () -> store.find("c"), c.getKey());
            assertTrue(e.getMessage().startsWith("corrupt state file " + file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains("java.") || e.getMessage().contains("Exception"), e.getMessage());
        }
        Files.delete(file);
        Files.createSymbolicLink(file, Path.of("/dev/zero"));
        JruncException e = assertThrows(StateStore.CorruptState.class, () -> store.find("c"));
        assertTrue(e.getMessage().endsWith(": not a regular file"), e.getMessage());
    }

    @Test
    void lockExcludesAnotherProcessUntilReleased() throws Exception {
        StateStore store = new StateStore(tmp);
        store.create("l");
        try (StateStore.ContainerLock lock = store.lock("l")) {
            assertEquals("busy", probe(tmp.resolve("l/lock")));
        }
        assertEquals("locked", probe(tmp.resolve("l/lock")));
    }

    /** Asks a second JVM whether it can take the lock now. */
    private static String probe(Path lockFile) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(),
                lockFile.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor());
        return out;
    }

    @Test
    void lockOfMissingContainer() {
        StateStore store = new StateStore(tmp);
        assertThrows(JruncException.class, () -> store.lock("ghost"));
        assertFalse(Files.exists(tmp.resolve("ghost")));
    }
}
