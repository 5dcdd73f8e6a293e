package dev.jrunc.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.JruncException;
import dev.jrunc.features.SupportedFeatures;
import dev.jrunc.features.model.Features;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.spec.validate.ConfigValidator;
import dev.jrunc.spec.validate.InvalidConfigException;
import dev.jrunc.spec.validate.Violation;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.StatusResolver;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.ContainerStatus;
import dev.jrunc.state.model.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * jrunc as a library: what the CLI does, for a JVM program that embeds it. Each method does only
 * the work its command needs (no schema validator for {@link #state}, for instance).
 */
public final class Jrunc {
    private final RuntimeOptions options;
    private final StateStore store;
    private final StatusResolver statuses;

    public Jrunc(RuntimeOptions options) {
        this(options, new StatusResolver());
    }

    public Jrunc(RuntimeOptions options, StatusResolver statuses) {
        this.options = options;
        this.store = new StateStore(options.root());
        this.statuses = statuses;
    }

    public RuntimeOptions options() {
        return options;
    }

    public StateStore store() {
        return store;
    }

    /** {@code jrunc state ID}. */
    public ContainerStatus state(String id) throws JruncException {
        ContainerRecord record = store.load(id);
        return statuses.report(record, store.dir(id), "");
    }

    /** {@code jrunc list}: every container under the root, by id; unreadable ones are skipped with a warning. */
    public List<ContainerListing> list() throws JruncException {
        List<ContainerListing> rows = new ArrayList<>();
        for (String id : store.ids()) {
            Optional<ContainerRecord> record;
            try {
                record = store.find(id);
            } catch (JruncException e) {
                options.logger().warn(e.getMessage());
                continue;
            }
            if (record.isEmpty()) {
                continue;
            }
            Path dir = store.dir(id);
            rows.add(new ContainerListing(statuses.report(record.get(), dir, ""), owner(dir)));
        }
        return rows;
    }

    /** The status alone, for callers that only branch on it. */
    public Status status(String id) throws JruncException {
        return state(id).status();
    }

    private static String owner(Path dir) {
        try {
            return Files.getOwner(dir).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** {@code jrunc spec}: the default (or rootless) config.json for a bundle, not yet written. */
    public JsonNode defaultSpec(boolean rootless, long uid, long gid) {
        return rootless ? SpecGenerator.rootlessSpec(uid, gid) : SpecGenerator.defaultSpec();
    }

    /** {@code jrunc validate}: every violation of the bundle's config.json; empty when valid. */
    public List<Violation> validate(Path bundle) throws JruncException {
        try {
            ConfigValidator.load(bundle);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.violations();
        }
    }

    /** {@code jrunc features}. */
    public Features features() {
        return SupportedFeatures.current();
    }
}
