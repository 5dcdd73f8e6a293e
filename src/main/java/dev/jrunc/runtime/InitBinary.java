package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code jrunc-init} is: the system property {@code jrunc.init} (the JVM launcher and
 * tests set it), else beside the running executable (the native image's {@code /proc/self/exe}).
 */
public final class InitBinary {
    public static final String PROPERTY = "jrunc.init";
    static final String NAME = "jrunc-init";

    private InitBinary() {}

    public static Path locate() throws JruncException {
        String configured = System.getProperty(PROPERTY);
        Path candidate;
        if (configured != null && !configured.isEmpty()) {
            candidate = Path.of(configured);
        } else {
            try {
                candidate = Path.of("/proc/self/exe").toRealPath().resolveSibling(NAME);
            } catch (java.io.IOException e) {
                throw new JruncException("cannot locate " + NAME + ": " + e.getMessage(), e);
            }
        }
        if (!Files.isExecutable(candidate)) {
            throw new JruncException(NAME + " not found at " + candidate + " (set -D" + PROPERTY + "=PATH)");
        }
        return candidate;
    }
}
