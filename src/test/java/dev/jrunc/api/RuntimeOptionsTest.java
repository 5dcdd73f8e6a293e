package dev.jrunc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.log.Logger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeOptionsTest {
    @TempDir
    Path tmp;

    private static RuntimeOptions resolve(String root, Rootless mode, int euid, Map<String, String> env) throws JruncException {
        return RuntimeOptions.resolve(root, mode, false, Logger.toStderr(), euid, env);
    }

    @Test
    void rootlessUsesXdgRuntimeDirAndMakesItsJruncDirectory() throws JruncException {
        Path xdg = tmp.resolve("xdg");
        RuntimeOptions o = resolve(null, Rootless.AUTO, 1000, Map.of("XDG_RUNTIME_DIR", xdg.toString()));
        assertTrue(o.rootless());
        assertEquals(xdg.resolve("jrunc"), o.root());
        assertTrue(Files.isDirectory(xdg.resolve("jrunc")));
    }

    @Test
    void rootAndExplicitRootIgnoreXdg() throws JruncException {
        assertEquals(RuntimeOptions.DEFAULT_ROOT, resolve(null, Rootless.FALSE, 0, Map.of("XDG_RUNTIME_DIR", "/nonexistent")).root());
        assertEquals(RuntimeOptions.DEFAULT_ROOT, resolve(null, Rootless.TRUE, 0, Map.of()).root());
        RuntimeOptions o = resolve(tmp.resolve("r").toString(), Rootless.AUTO, 1000, Map.of());
        assertEquals(tmp.resolve("r"), o.root());
        assertFalse(Files.exists(tmp.resolve("r")));
    }

    @Test
    void aMissingOrUnusableXdgRuntimeDirIsNamed() throws IOException {
        JruncException e = assertThrows(JruncException.class, () -> resolve(null, Rootless.AUTO, 1000, Map.of()));
        assertTrue(e.getMessage().contains("XDG_RUNTIME_DIR is not set"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        e = assertThrows(JruncException.class, () -> resolve(null, Rootless.AUTO, 1000, Map.of("XDG_RUNTIME_DIR", file.toString())));
        assertTrue(e.getMessage().startsWith("the path in $XDG_RUNTIME_DIR must be writable by the user: mkdir " + file.resolve("jrunc")),
                e.getMessage());
    }

    @Test
    void uidZeroOfAnEnginesUserNamespaceKeepsStateUnderXdgRuntimeDir() throws JruncException {
        Path xdg = tmp.resolve("xdg");
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", xdg.toString(), "USER", "alice");
        RuntimeOptions o = RuntimeOptions.resolve(null, Rootless.AUTO, false, Logger.toStderr(), 0, true, env);
        assertTrue(o.rootless());
        assertEquals(xdg.resolve("jrunc"), o.root());
        assertTrue(Files.isDirectory(xdg.resolve("jrunc")));
    }

    @Test
    void xdgRuntimeDirIsHonouredAsRuncHonoursIt() {
        Map<String, String> xdg = Map.of("XDG_RUNTIME_DIR", "/run/user/1000");
        assertTrue(RuntimeOptions.honorsXdgRuntimeDir(1000, false, xdg));
        assertTrue(RuntimeOptions.honorsXdgRuntimeDir(0, true, xdg), "uid 0 of a user namespace, USER unset");
        assertTrue(RuntimeOptions.honorsXdgRuntimeDir(0, true, Map.of("XDG_RUNTIME_DIR", "/x", "USER", "alice")));
        assertFalse(RuntimeOptions.honorsXdgRuntimeDir(0, true, Map.of("XDG_RUNTIME_DIR", "/x", "USER", "root")));
        assertFalse(RuntimeOptions.honorsXdgRuntimeDir(0, false, Map.of("XDG_RUNTIME_DIR", "/run/user/0")), "the real root");
        assertFalse(RuntimeOptions.honorsXdgRuntimeDir(1000, true, Map.of()));
        assertFalse(RuntimeOptions.honorsXdgRuntimeDir(1000, true, Map.of("XDG_RUNTIME_DIR", "")));
    }

    @Test
    void uidZeroOfAUserNamespaceWithoutXdgRuntimeDirUsesTheDefaultRoot() throws JruncException {
        RuntimeOptions o = RuntimeOptions.resolve(null, Rootless.AUTO, false, Logger.toStderr(), 0, true, Map.of());
        assertTrue(o.rootless());
        assertEquals(RuntimeOptions.DEFAULT_ROOT, o.root());
    }

    @Test
    void theRealRootDoesNotReadTheEnvironment() {
        Map<String, String> untouchable = new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Map.Entry<String, String>> entrySet() {
                throw new AssertionError("the environment was read");
            }

            @Override
            public String get(Object key) {
                throw new AssertionError("the environment was read: " + key);
            }
        };
        assertFalse(RuntimeOptions.honorsXdgRuntimeDir(0, false, untouchable));
    }

    @Test
    void onlyTheInitialUserNamespacesMapIsTheInitialOne() {
        assertTrue(Rootless.isInitialMap("         0          0 4294967295\n"));
        assertTrue(Rootless.isInitialMap("0 0 4294967295"));
        assertFalse(Rootless.isInitialMap("         0       1000          1\n"));
        assertFalse(Rootless.isInitialMap("0 0 4294967295\n1 1 1\n"), "a second line");
        assertFalse(Rootless.isInitialMap("0 0 4294967294"));
        assertFalse(Rootless.isInitialMap("00 0 4294967295"));
        assertFalse(Rootless.isInitialMap(""), "no line: not the initial namespace's");
    }
}
