package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The container's current {@code linux.resources}, kept in {@code resources.json} of its state
 * directory (runc keeps them in its state's config): written at create when the config has
 * any, rewritten by {@code update}, so that a later update starts from them.
 */
public final class ResourcesStore {
    public static final String FILE = "resources.json";

    private ResourcesStore() {}

    public static void save(Path stateDir, Resources r) throws JruncException {
        if (r == null) {
            return;
        }
        try {
            Path tmp = stateDir.resolve(FILE + ".tmp");
            Files.write(tmp, Json.mapper().writeValueAsBytes(r));
            Files.move(tmp, stateDir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JruncException("cannot write " + stateDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The stored resources, or null. */
    public static Resources load(Path stateDir) throws JruncException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Json.mapper().readValue(file.toFile(), Resources.class);
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
