package dev.jrunc.json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a JSON input file (config.json, {@code exec --process}, {@code update -r}) that the
 * caller names, bounded: only a regular file (through symlinks) is opened, so a config.json that
 * is a fifo or a link to {@code /dev/zero} fails at once instead of blocking or growing jrunc's
 * memory without end, and at most {@link #MAX_BYTES} are read. The nesting depth is bounded by
 * the parser (Jackson's stream constraints: 1000 levels).
 */
public final class JsonFile {
    /** 16 MiB: runc's own specs are a few kB; a config this large is a mistake or an attack. */
    public static final int MAX_BYTES = 16 << 20;

    private JsonFile() {}

    /** Why {@code file} is refused (a plain-words reason), thrown as an {@link IOException}. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    /** The bytes of {@code file}; {@link Refused} for anything but a regular file of at most {@link #MAX_BYTES}. */
    public static byte[] read(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new Refused(attrs.isDirectory() ? "is a directory" : "not a regular file");
        }
        if (attrs.size() > MAX_BYTES) {
            throw new Refused("larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return bounded(in);
        }
    }

    /** At most {@link #MAX_BYTES} of {@code in} (standard input of {@code update -r -}); {@link Refused} beyond. */
    public static byte[] bounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new Refused("larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        return bytes;
    }
}
