package dev.jrunc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips a {@link KernelTest} (before its own set-up runs) unless the test JVM's effective uid is 0. */
public final class RequiresRoot implements BeforeAllCallback, BeforeEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeRoot();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        assumeRoot();
    }

    private static void assumeRoot() {
        long euid = effectiveUid();
        Assumptions.assumeTrue(euid == 0, "a kernel test: needs root (cgroups, namespaces, a built jrunc), runs as uid " + euid);
    }

    /** The effective uid, from /proc/self/status (no native library needed). */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: treated as not root
        }
        return -1;
    }
}
