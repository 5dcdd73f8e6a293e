package dev.jrunc.spec.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.json.JsonFile;
import dev.jrunc.spec.SpecReader;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything jrunc checks of a bundle before any side effect, in order: config.json exists and is
 * JSON, it matches the runtime-spec schema, it binds to the model, it obeys the rules of
 * {@link SemanticValidator}, and its root filesystem is a directory. {@code create}, {@code run}
 * and {@code validate} share it.
 */
public final class ConfigValidator {
    public static final String CONFIG_FILE = "config.json";

    private ConfigValidator() {}

    /** A config that passed every check. */
    public record ValidConfig(Path bundle, JsonNode tree, Spec spec) {
        public Path rootfs() {
            Path root = Path.of(spec.root().path());
            return root.isAbsolute() ? root : bundle.resolve(root).normalize();
        }
    }

    /** Loads and checks {@code bundle/config.json}; throws with every violation when refused. */
    public static ValidConfig load(Path bundle) throws JruncException {
        Path dir = bundle.toAbsolutePath().normalize();
        IOException notDir = notADirectory(dir);
        if (notDir != null) {
            throw new JruncException(IoErrors.pathError("chdir", dir, notDir), notDir); // runc's words
        }
        Path file = dir.resolve(CONFIG_FILE);
        byte[] bytes;
        try {
            bytes = JsonFile.read(file); // a regular file, bounded: never a fifo or /dev/zero
        } catch (NoSuchFileException e) {
            throw new JruncException("JSON specification file " + CONFIG_FILE + " not found");
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + IoErrors.reason(e), e);
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            // refused while parsing: a syntax error, or a read limit (nesting depth, number length)
            throw new InvalidConfigException(CONFIG_FILE, List.of(new Violation("", Json.describe(e))));
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + IoErrors.reason(e), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidConfigException(CONFIG_FILE, List.of(new Violation("", "the file is empty")));
        }
        Spec spec = checked(tree);
        ValidConfig config = new ValidConfig(dir, tree, spec);
        IOException badRootfs = notADirectory(config.rootfs());
        if (badRootfs != null) { // runc: invalid rootfs: stat PATH: no such file or directory
            throw new InvalidConfigException(CONFIG_FILE, List.of(new Violation("/root/path",
                    "invalid rootfs: " + IoErrors.pathError("stat", config.rootfs(), badRootfs))));
        }
        return config;
    }

    /** Null for a directory (through symlinks), else why it is not one. */
    private static IOException notADirectory(Path dir) {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class).isDirectory() ? null : new NotDirectoryException(dir.toString());
        } catch (IOException e) {
            return e;
        }
    }

    /** Schema, binding and semantic checks of a parsed config.json; empty when it is valid. */
    public static List<Violation> check(JsonNode tree) {
        try {
            checked(tree);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.violations();
        }
    }

    /** The model of a tree that passes the schema, binding and semantic checks (bound once). */
    private static Spec checked(JsonNode tree) throws InvalidConfigException {
        List<Violation> schema = SchemaValidator.ours(SchemaValidator.Document.CONFIG).validate(tree);
        if (!schema.isEmpty()) {
            throw new InvalidConfigException(CONFIG_FILE, schema);
        }
        List<Violation> nul = NulBytes.check(tree);
        if (!nul.isEmpty()) {
            throw new InvalidConfigException(CONFIG_FILE, nul);
        }
        Spec spec = bind(tree);
        List<Violation> semantic = SemanticValidator.check(spec);
        if (!semantic.isEmpty()) {
            throw new InvalidConfigException(CONFIG_FILE, semantic);
        }
        return spec;
    }

    private static Spec bind(JsonNode tree) throws InvalidConfigException {
        try {
            return SpecReader.toSpec(tree);
        } catch (JsonMappingException e) {
            return failBinding(e, pointerOf(e));
        } catch (JsonProcessingException e) {
            return failBinding(e, "");
        }
    }

    private static Spec failBinding(JsonProcessingException e, String pointer) throws InvalidConfigException {
        throw new InvalidConfigException(CONFIG_FILE, List.of(new Violation(pointer, e.getOriginalMessage())));
    }

    private static String pointerOf(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            parts.add(ref.getFieldName() != null
                    ? Violation.escape(ref.getFieldName())
                    : Integer.toString(ref.getIndex()));
        }
        return parts.isEmpty() ? "" : "/" + String.join("/", parts);
    }
}
