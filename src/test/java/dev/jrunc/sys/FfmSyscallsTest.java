package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.sys.ffm.FfmSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How the FFM binding finds libjrunc.so: the configured path, else beside the classes; never a system property. */
class FfmSyscallsTest {

    @Test
    void defaultIsNativeDirectoryBesideTheClasses() {
        // tests run from target/classes: the library is target/native/libjrunc.so
        Path expected = Path.of("target", "native", "libjrunc.so").toAbsolutePath();
        assertEquals(expected, FfmSyscalls.defaultLibrary());
        assertEquals(expected, FfmSyscalls.locateLibrary(null));
        assertTrue(Files.isRegularFile(expected), "make lib (run by mvn) builds " + expected);
    }

    @Test
    void configuredPathChoosesTheLibrary() throws Exception {
        Path copy = Files.createTempFile("libjrunc-copy", ".so");
        try {
            Files.copy(FfmSyscalls.defaultLibrary(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertEquals(copy, FfmSyscalls.locateLibrary(copy));
            assertEquals(ProcessHandle.current().pid(), new FfmSyscalls(copy).getpid());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @Test
    void missingLibraryIsNamed() {
        Path missing = Path.of("/nonexistent/libjrunc.so");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FfmSyscalls.locateLibrary(missing));
        assertTrue(e.getMessage().contains("/nonexistent/libjrunc.so"), e.getMessage());
    }

    @Test
    void thePropertyIsNotReadByTheBinding() {
        String saved = System.getProperty(FfmSyscalls.LIBRARY_PROPERTY);
        System.setProperty(FfmSyscalls.LIBRARY_PROPERTY, "/nonexistent/libjrunc.so");
        try {
            assertEquals(FfmSyscalls.defaultLibrary(), FfmSyscalls.locateLibrary(null));
        } finally {
            if (saved == null) {
                System.clearProperty(FfmSyscalls.LIBRARY_PROPERTY);
            } else {
                System.setProperty(FfmSyscalls.LIBRARY_PROPERTY, saved);
            }
        }
    }
}
