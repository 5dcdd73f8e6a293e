package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Resources;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The container's current {@code linux.resources}: those of the config {@code create} saved in
 * the state directory ({@value #CONFIG}) until an {@code update} writes {@code resources.json},
 * from which a later update starts (runc keeps them in its state's config). {@code create} writes
 * no extra file for them: each file made in the state directory costs it time.
 */
public final class ResourcesStore {
    public static final String FILE = "resources.json";
    /** The config create saved (ContainerCreator.SAVED_CONFIG). */
    static final String CONFIG = "config.json";

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
            throw new JruncException("cannot write " + stateDir.resolve(FILE) + ": " + IoErrors.reason(e), e);
        }
    }

    /** The stored resources: the last update's, else the saved config's; or null. */
    public static Resources load(Path stateDir) throws JruncException {
        Path file = stateDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Path config = stateDir.resolve(CONFIG);
                if (!Files.exists(config)) {
                    return null;
                }
                Spec spec = Json.mapper().readValue(config.toFile(), Spec.class);
                return spec.linux() == null ? null : spec.linux().resources();
            }
            return Json.mapper().readValue(file.toFile(), Resources.class);
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** The config's {@code linux.devices} as create saved it (empty when none, or no config was saved). */
    public static java.util.List<dev.jrunc.spec.model.Device> linuxDevices(Path stateDir) throws JruncException {
        Path config = stateDir.resolve(CONFIG);
        try {
            if (!Files.exists(config)) {
                return java.util.List.of();
            }
            Spec spec = Json.mapper().readValue(config.toFile(), Spec.class);
            return spec.linux() == null || spec.linux().devices() == null ? java.util.List.of() : spec.linux().devices();
        } catch (IOException e) {
            throw new JruncException("cannot read " + config + ": " + IoErrors.reason(e), e);
        }
    }
}
