package dev.jrunc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.log.Logger;
import dev.jrunc.sys.FakeSyscalls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link Jrunc.Builder}: the CLI's defaults, and each setting reaching the resolved options. */
class JruncBuilderTest {

    @Test
    void defaultsAreTheClisAsRoot() throws JruncException {
        FakeSyscalls sys = new FakeSyscalls();
        sys.euid = 0;
        Jrunc jrunc = Jrunc.builder().rootless(Rootless.FALSE).build(sys);
        RuntimeOptions options = jrunc.options();
        assertEquals(RuntimeOptions.DEFAULT_ROOT, options.root());
        assertFalse(options.rootless());
        assertFalse(options.systemdCgroup());
        assertNull(jrunc.environment().initBinary(), "no init configured: the one beside the executable");
    }

    @Test
    void everySettingIsPassedDown() throws JruncException {
        Logger logger = Logger.toStderr();
        Jrunc jrunc = Jrunc.builder()
                .stateRoot(Path.of("/tmp/jrunc-builder-test/../state"))
                .initBinary(Path.of("/opt/jrunc/jrunc-init"))
                .logger(logger)
                .rootless(Rootless.TRUE)
                .systemdCgroup(true)
                .build(new FakeSyscalls());
        RuntimeOptions options = jrunc.options();
        assertEquals(Path.of("/tmp/state"), options.root());
        assertEquals(Path.of("/opt/jrunc/jrunc-init"), jrunc.environment().initBinary());
        assertSame(logger, options.logger());
        assertTrue(options.rootless());
        assertTrue(options.systemdCgroup());
    }

    @Test
    void aMissingNativeLibraryIsAJruncError() {
        JruncException e = assertThrows(JruncException.class,
                () -> Jrunc.builder().nativeLibrary(Path.of("/nonexistent/libjrunc.so")).build());
        assertEquals("cannot load libjrunc.so: /nonexistent/libjrunc.so does not exist", e.getMessage());
    }
}
