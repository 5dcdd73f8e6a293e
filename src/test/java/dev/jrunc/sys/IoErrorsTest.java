package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrunc.JruncException;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoErrorsTest {
    @TempDir
    Path dir;

    // --- each JDK type the errno is folded into -------------------------------------------

    @Test
    void theJdksTypedExceptionsAreTheirErrno() {
        assertEquals("no such file or directory", IoErrors.reason(new NoSuchFileException("/x")));
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/x")));
        assertEquals("file exists", IoErrors.reason(new FileAlreadyExistsException("/x")));
        assertEquals("not a directory", IoErrors.reason(new NotDirectoryException("/x")));
        assertEquals("directory not empty", IoErrors.reason(new DirectoryNotEmptyException("/x")));
        assertEquals("too many levels of symbolic links", IoErrors.reason(new FileSystemLoopException("/x")));
        assertEquals("invalid argument", IoErrors.reason(new NotLinkException("/x")));
    }

    @Test
    void aReasonGivenWithTheTypeIsIgnoredForTheErrno() {
        // the JDK passes null, but a caller may not: the type is the errno
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/x", null, "Operation not permitted?")));
    }

    // --- strerror texts as Go prints them ---------------------------------------------------

    @Test
    void strerrorTextsAreLowercasedAsGoDoes() {
        List<String[]> pairs = List.of(
                new String[] {"No space left on device", "no space left on device"},
                new String[] {"Device or resource busy", "device or resource busy"},
                new String[] {"Invalid argument", "invalid argument"},
                new String[] {"Not a directory", "not a directory"},
                new String[] {"Is a directory", "is a directory"},
                new String[] {"Operation not permitted", "operation not permitted"},
                new String[] {"Read-only file system", "read-only file system"},
                new String[] {"Numerical result out of range", "numerical result out of range"},
                new String[] {"Input/output error", "input/output error"},
                new String[] {"Invalid cross-device link", "invalid cross-device link"},
                new String[] {"File name too long", "file name too long"},
                new String[] {"Text file busy", "text file busy"});
        for (String[] p : pairs) {
            assertEquals(p[1], IoErrors.reason(new FileSystemException("/f", null, p[0])), p[0]);
            assertEquals(p[1], IoErrors.reason(new IOException(p[0])), p[0]); // a failed write(2)
            assertEquals(p[1], IoErrors.goCase(p[0]));
        }
    }

    @Test
    void goCaseKeepsAcronymsAndDropsTheJdksEloopAddition() {
        assertEquals("RFS specific error", IoErrors.goCase("RFS specific error"));
        assertEquals("too many levels of symbolic links",
                IoErrors.goCase("Too many levels of symbolic links or unable to access attributes of symbolic link"));
        assertEquals("x", IoErrors.goCase("x"));
        assertEquals("", IoErrors.goCase(""));
    }

    @Test
    void theJdksEloopReasonIsGosWords() {
        FileSystemException e = new FileSystemException("/l", null,
                "Too many levels of symbolic links or unable to access attributes of symbolic link");
        assertEquals("/l: too many levels of symbolic links", IoErrors.message(e));
    }

    // --- ErrnoException --------------------------------------------------------------------

    @Test
    void anErrnoIsStrerror() {
        assertEquals("no such process", IoErrors.reason(new ErrnoException("kill", Errno.ESRCH)));
        assertEquals("errno 4095", IoErrors.reason(new ErrnoException("x", 4095)));
        assertEquals("open /x: permission denied", IoErrors.message(new ErrnoException("open /x", Errno.EACCES)));
        assertEquals("mkfifo /s/exec.fifo: file exists", IoErrors.pathError("mkfifo", "/s/exec.fifo", new ErrnoException("mkfifo", Errno.EEXIST)));
    }

    // --- null and empty reasons ------------------------------------------------------------

    @Test
    void nullAndEmptyReasonsFallBackToTheKind() {
        assertEquals("input/output error", IoErrors.reason(new IOException()));
        assertEquals("input/output error", IoErrors.reason(new IOException("  ")));
        assertEquals("input/output error", IoErrors.reason(new FileSystemException("/x")));
        assertEquals("input/output error", IoErrors.reason(new FileSystemException("/x", null, "")));
        assertEquals("unexpected EOF", IoErrors.reason(new EOFException()));
        assertEquals("file already closed", IoErrors.reason(new ClosedChannelException()));
        assertEquals("i/o timeout", IoErrors.reason(new InterruptedIOException()));
        assertEquals("nil pointer dereference", IoErrors.reason(new NullPointerException()));
        assertEquals("out of memory", IoErrors.reason(new OutOfMemoryError()));
        assertEquals("stack overflow", IoErrors.reason(new StackOverflowError()));
        assertEquals("unexpected failure", IoErrors.reason(new IllegalStateException()));
        assertEquals("unknown error", IoErrors.reason(null));
    }

    // --- nested causes ---------------------------------------------------------------------

    @Test
    void aWrapperSaysWhatItsCauseSays() {
        assertEquals("no such file or directory", IoErrors.reason(new UncheckedIOException(new NoSuchFileException("/x"))));
        assertEquals("no such file or directory", IoErrors.reason(new IOException(new NoSuchFileException("/x"))));
        assertEquals("no space left on device",
                IoErrors.reason(new RuntimeException(new UncheckedIOException(new IOException("No space left on device")))));
        assertEquals("no such process", IoErrors.reason(new IllegalStateException(new ErrnoException("kill", Errno.ESRCH))));
        // a wrapper with words of its own keeps them
        assertEquals("cannot read the plan", IoErrors.reason(new IOException("cannot read the plan", new EOFException())));
        // a wrapper without words over a cause without words: the innermost kind
        assertEquals("unexpected EOF", IoErrors.reason(new IOException(new EOFException())));
    }

    @Test
    void aLoopOfCausesEnds() {
        IOException a = new IOException();
        IOException b = new IOException();
        a.initCause(b);
        b.initCause(a);
        assertEquals("input/output error", IoErrors.reason(a));
    }

    @Test
    void aJruncExceptionIsAlreadyWorded() {
        assertEquals("container \"x\" does not exist",
                IoErrors.reason(new IOException(new JruncException("container \"x\" does not exist"))));
    }

    // --- the layouts -----------------------------------------------------------------------

    @Test
    void messageNamesTheFiles() {
        assertEquals("/x: no such file or directory", IoErrors.message(new NoSuchFileException("/x")));
        assertEquals("/a -> /b: invalid cross-device link",
                IoErrors.message(new AtomicMoveNotSupportedException("/a", "/b", "Invalid cross-device link")));
        assertEquals("no space left on device", IoErrors.message(new IOException("No space left on device")));
        assertEquals("/x: permission denied", IoErrors.message(new FileNotFoundException("/x (Permission denied)")));
        assertEquals("no such file or directory", IoErrors.message(new FileNotFoundException()));
    }

    @Test
    void pathErrorIsGosLayout() {
        assertEquals("open /nonexistent/dir/.pid: no such file or directory",
                IoErrors.pathError("open", Path.of("/nonexistent/dir/.pid"), new NoSuchFileException("/nonexistent/dir/.pid")));
        assertEquals("write /sys/fs/cgroup/blkio/x/blkio.weight: permission denied",
                IoErrors.pathError("write", "/sys/fs/cgroup/blkio/x/blkio.weight", new AccessDeniedException("/sys/fs/cgroup/blkio/x/blkio.weight")));
    }

    // --- library texts lose their class names -----------------------------------------------

    @Test
    void classNamesAreScrubbed() {
        assertEquals("/x", IoErrors.scrub("java.nio.file.NoSuchFileException: /x"));
        assertEquals("cannot deserialize value of type `Integer` from String \"x\"",
                IoErrors.reason(new IllegalArgumentException("Cannot deserialize value of type `java.lang.Integer` from String \"x\"")));
        assertEquals("boom", IoErrors.reason(new RuntimeException("java.lang.IllegalStateException: boom")));
        // paths with dots and capitals are not class names
        assertEquals("/var/lib/my.app.Data/x", IoErrors.scrub("/var/lib/my.app.Data/x"));
        assertEquals("config.json", IoErrors.scrub("config.json"));
    }

    @Test
    void jacksonsTextHasNoClassNameNorLocation() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> new ObjectMapper().readValue("{\"a\": \"x\"}", IntHolder.class));
        String r = IoErrors.reason(e);
        assertFalse(r.contains("java."), r);
        assertFalse(r.contains("Exception"), r);
        assertFalse(r.contains("[Source"), r);
    }

    record IntHolder(int a) {}

    // --- real failures of the JDK on this file system ---------------------------------------

    @Test
    void realFailuresReadAsRuncs() throws IOException {
        Path missing = dir.resolve("missing/file");
        assertEquals("open " + missing + ": no such file or directory",
                IoErrors.pathError("open", missing, assertThrows(IOException.class, () -> Files.readAllBytes(missing))));
        assertEquals(missing + ": no such file or directory",
                IoErrors.message(assertThrows(IOException.class, () -> Files.writeString(missing, "x"))));
        assertEquals("is a directory", IoErrors.reason(assertThrows(IOException.class, () -> Files.readAllBytes(dir))));
        assertEquals("file exists", IoErrors.reason(assertThrows(IOException.class, () -> Files.createDirectory(dir))));
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertEquals("not a directory", IoErrors.reason(assertThrows(IOException.class, () -> Files.newDirectoryStream(file))));
        assertEquals("not a directory", IoErrors.reason(assertThrows(IOException.class, () -> Files.writeString(file.resolve("g"), "x"))));
        assertEquals("directory not empty", IoErrors.reason(assertThrows(IOException.class, () -> Files.delete(dir))));
        assertEquals("invalid argument", IoErrors.reason(assertThrows(IOException.class, () -> Files.readSymbolicLink(file))));
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        assertEquals("too many levels of symbolic links", IoErrors.reason(assertThrows(IOException.class, () -> Files.readAllBytes(loop))));
        assertEquals(missing + ": no such file or directory",
                IoErrors.message(assertThrows(FileNotFoundException.class, () -> new FileInputStream(missing.toFile()))));
        assertEquals("is a directory",
                IoErrors.reason(assertThrows(FileNotFoundException.class, () -> new FileInputStream(dir.toFile()))));
    }
}
