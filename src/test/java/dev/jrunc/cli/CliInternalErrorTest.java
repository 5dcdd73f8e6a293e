package dev.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The last-resort line of the CLI names what failed, never a Java class. */
class CliInternalErrorTest {
    @Test
    void anUnexpectedFailureIsOneLineWithoutAClassName() {
        assertEquals("internal error: nil pointer dereference", Cli.internalError(new NullPointerException()));
        assertEquals("internal error: string contains a NUL byte: pro\\0c",
                Cli.internalError(new IllegalArgumentException("string contains a NUL byte: pro\\0c")));
        assertEquals("internal error: /proc/1/stat: no such file or directory",
                Cli.internalError(new UncheckedIOException(new NoSuchFileException("/proc/1/stat"))));
        assertEquals("internal error: no space left on device",
                Cli.internalError(new IllegalStateException(new IOException("No space left on device"))));
        assertEquals("internal error: boom", Cli.internalError(new RuntimeException("java.lang.IllegalStateException: boom")));
        assertEquals("internal error: unexpected failure", Cli.internalError(new IllegalStateException()));
    }
}
