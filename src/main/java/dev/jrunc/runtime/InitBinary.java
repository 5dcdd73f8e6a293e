package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.IoErrors;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where {@code jrunc-init} is: the path the caller configured ({@link dev.jrunc.api.Jrunc.Builder#initBinary},
 * which the CLI fills from the JVM launcher's system property {@value #PROPERTY}), else beside the
 * running executable (the native image's {@code /proc/self/exe}).
 */
public final class InitBinary {
    /** The JVM launcher's way of naming the init (read by the CLI's entry, never by the library). */
    public static final String PROPERTY = "jrunc.init";
    static final String NAME = "jrunc-init";

    private InitBinary() {}

    /** {@code configured}, else jrunc-init beside {@code procRoot/self/exe}; an error when it is not executable. */
    static Path locate(Path configured, Path procRoot) throws JruncException {
        Path candidate;
        if (configured != null) {
            candidate = configured;
        } else {
            try {
                candidate = procRoot.resolve("self/exe").toRealPath().resolveSibling(NAME);
            } catch (java.io.IOException e) {
                throw new JruncException("cannot locate " + NAME + ": " + IoErrors.message(e), e);
            }
        }
        if (!Files.isExecutable(candidate)) {
            throw new JruncException(NAME + " not found at " + candidate + " (set -D" + PROPERTY + "=PATH)");
        }
        return candidate;
    }

    /**
     * A sealed copy of the init in a memfd (close-on-exec), which jrunc executes instead of the
     * file: runc's defence against CVE-2019-5736. A process in the container that gets hold of
     * the init's executable (/proc/PID/exe) finds a memfd sealed against writing, growing and
     * shrinking, never the jrunc-init on the host. Costs one in-kernel copy of the file per create.
     */
    public static int sealedCopy(Syscalls sys, Path binary, Path procRoot) throws JruncException {
        int fd;
        try {
            fd = sys.memfdCreate(NAME);
        } catch (ErrnoException e) {
            throw new JruncException("cannot copy " + NAME + " into a memfd: " + e.getMessage(), e);
        }
        try (FileChannel in = FileChannel.open(binary);
                FileChannel out = FileChannel.open(procRoot.resolve("self/fd/" + fd), StandardOpenOption.WRITE)) {
            long size = in.size();
            for (long done = 0; done < size; ) {
                done += in.transferTo(done, size - done, out);
            }
            sys.sealMemfd(fd);
            return fd;
        } catch (IOException | ErrnoException e) {
            try {
                sys.close(fd);
            } catch (ErrnoException ignored) {
                // nothing to undo
            }
            throw new JruncException("cannot copy " + binary + " into a sealed memfd: " + IoErrors.message(e), e);
        }
    }
}
