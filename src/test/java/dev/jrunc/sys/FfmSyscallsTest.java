package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.sys.ffm.FfmSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the FFM binding finds libjrunc.so. */
class FfmSyscallsTest {
    private final String saved = System.getProperty(FfmSyscalls.LIBRARY_PROPERTY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(FfmSyscalls.LIBRARY_PROPERTY);
        } else {
            System.setProperty(FfmSyscalls.LIBRARY_PROPERTY, saved);
        }
    }

    @Test
    void defaultIsNativeDirectoryBesideTheClasses() {
        // tests run from target/classes: the library is target/native/libjrunc.so
        Path expected = Path.of("target", "native", "libjrunc.so").toAbsolutePath();
        assertEquals(expected, FfmSyscalls.defaultLibrary());
        assertTrue(Files.isRegularFile(expected), "make lib (run by mvn) builds " + expected);
    }

    @Test
    void propertyChoosesTheLibrary() {
        Path library = FfmSyscalls.defaultLibrary();
        System.setProperty(FfmSyscalls.LIBRARY_PROPERTY, library.toString());
        assertEquals(library, FfmSyscalls.locateLibrary());
        assertEquals(ProcessHandle.current().pid(), new FfmSyscalls().getpid());
    }

    @Test
    void missingLibraryNamesTheProperty() {
        System.setProperty(FfmSyscalls.LIBRARY_PROPERTY, "/nonexistent/libjrunc.so");
        IllegalStateException e = assertThrows(IllegalStateException.class, FfmSyscalls::new);
        assertTrue(e.getMessage().contains("jrunc.native.lib"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/libjrunc.so"), e.getMessage());
    }
}
