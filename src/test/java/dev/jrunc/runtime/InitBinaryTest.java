package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.sys.Syscalls;
import dev.jrunc.sys.ffm.FfmSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed memfd copy the init runs from, against the kernel. */
class InitBinaryTest {
    private final Syscalls sys = new FfmSyscalls();

    @Test
    void sealedCopyHoldsTheFileAndRefusesWrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("binary");
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Files.write(file, content);
        int fd = InitBinary.sealedCopy(sys, file, Path.of("/proc"));
        try {
            Path self = Path.of("/proc/self/fd/" + fd);
            assertTrue(Files.readSymbolicLink(self).toString().startsWith("/memfd:jrunc-init"));
            assertArrayEquals(content, Files.readAllBytes(self));
            // F_SEAL_WRITE / F_SEAL_GROW: no reopen for writing can change it
            assertThrows(IOException.class, () -> Files.write(self, new byte[] {1}, StandardOpenOption.APPEND));
            assertThrows(IOException.class, () -> Files.write(self, new byte[] {1}, StandardOpenOption.WRITE));
            assertArrayEquals(content, Files.readAllBytes(self));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void aMissingBinaryIsAClearError(@TempDir Path dir) {
        JruncException e = assertThrows(JruncException.class, () -> InitBinary.sealedCopy(sys, dir.resolve("none"), Path.of("/proc")));
        assertEquals("cannot copy " + dir.resolve("none") + " into a sealed memfd: " + dir.resolve("none") + ": no such file or directory",
                e.getMessage());
    }
}
