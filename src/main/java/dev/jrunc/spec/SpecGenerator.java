package dev.jrunc.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The starting config.json of {@code jrunc spec}: runc's default (busybox {@code sh} on a
 * terminal, runc's default capabilities, rlimits, masked and read-only paths, a new pid, network,
 * ipc, uts, mount and cgroup namespace), and with {@code --rootless} runc's rootless variant.
 */
public final class SpecGenerator {
    private static final String TEMPLATE = "/dev/jrunc/spec/default-config.json";

    private SpecGenerator() {}

    public static ObjectNode defaultSpec() {
        try (InputStream in = SpecGenerator.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + TEMPLATE + " missing from the build");
            }
            return (ObjectNode) Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * runc's rootless changes: a user namespace mapping container root to the caller, no network
     * namespace, /sys bind-mounted from the host (sysfs cannot be mounted without a network
     * namespace of one's own), no {@code gid=5} on devpts, no cgroup resources.
     */
    public static ObjectNode rootlessSpec(long uid, long gid) {
        ObjectNode spec = defaultSpec();
        ObjectNode linux = (ObjectNode) spec.get("linux");
        ArrayNode namespaces = Json.mapper().createArrayNode();
        for (JsonNode ns : linux.get("namespaces")) {
            String type = ns.get("type").asText();
            if (!type.equals("network")) {
                namespaces.add(ns);
            }
        }
        namespaces.addObject().put("type", "user");
        linux.set("namespaces", namespaces);
        linux.remove("resources");
        // runc's field order (Go's struct Linux): the mappings come first
        ObjectNode ordered = Json.mapper().createObjectNode();
        ordered.set("uidMappings", mapping(uid));
        ordered.set("gidMappings", mapping(gid));
        ordered.setAll(linux);
        spec.set("linux", ordered);
        for (JsonNode mount : spec.get("mounts")) {
            ObjectNode m = (ObjectNode) mount;
            String destination = m.get("destination").asText();
            if (destination.equals("/sys")) {
                m.put("type", "none").put("source", "/sys");
                ArrayNode options = m.putArray("options");
                for (String o : new String[] {"rbind", "nosuid", "noexec", "nodev", "ro"}) {
                    options.add(o);
                }
            } else if (destination.equals("/dev/pts")) {
                ArrayNode options = (ArrayNode) m.get("options");
                for (int i = options.size() - 1; i >= 0; i--) {
                    if (options.get(i).asText().equals("gid=5")) {
                        options.remove(i);
                    }
                }
            }
        }
        return spec;
    }

    private static ArrayNode mapping(long hostId) {
        ArrayNode list = Json.mapper().createArrayNode();
        list.addObject().put("containerID", 0).put("hostID", hostId).put("size", 1);
        return list;
    }

    /** Writes {@code bundle/config.json}, refusing to replace an existing one (runc's message). */
    public static Path write(Path bundle, JsonNode spec) throws JruncException {
        if (!Files.isDirectory(bundle)) {
            throw new JruncException("bundle " + bundle + " is not a directory");
        }
        Path file = bundle.resolve("config.json");
        try {
            Files.writeString(file, Json.pretty(spec), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return file;
        } catch (FileAlreadyExistsException e) {
            throw new JruncException("File config.json exists. Remove it first");
        } catch (IOException e) {
            throw new JruncException("cannot write " + file + ": " + IoErrors.reason(e), e);
        }
    }
}
