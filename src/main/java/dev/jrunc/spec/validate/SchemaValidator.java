package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.ResourceLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Validates an OCI runtime-spec v1.3.0 document (config.json, state.json, features.json) against a
 * JSON Schema and reports every {@link Violation}, each with the RFC 6901 pointer of the offending
 * value and a message saying what was expected there.
 *
 * <p>{@link #ours(Document)} uses jrunc's own schemas, class-path resources under
 * {@code /oci-spec-schemas/} (draft 2020-12, identified by {@value #SCHEMA_ID_BASE}...); they are
 * loaded through the class path only, so they work unchanged in a native image. A validator is
 * immutable and thread-safe; the instance per document is built once, on first use.
 */
public final class SchemaValidator {

    /** The documents of the runtime-spec that we have a schema for. */
    public enum Document {
        CONFIG("config.schema.json"),
        STATE("state.schema.json"),
        FEATURES("features.schema.json");

        private final String fileName;

        Document(String fileName) {
            this.fileName = fileName;
        }

        /** File name of our schema, under {@code /oci-spec-schemas/} on the class path. */
        public String fileName() {
            return fileName;
        }
    }

    /** The {@code $id} prefix of our schemas. */
    public static final String SCHEMA_ID_BASE = "https://jrunc.dev/oci-spec-schemas/v1.3.0/";
    /** Where our schemas are on the class path. */
    public static final String RESOURCE_DIR = "oci-spec-schemas/";

    private static final SchemaRegistryConfig CONFIG = SchemaRegistryConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .locale(Locale.ENGLISH)
            .build();

    private static final Map<Document, SchemaValidator> OURS = new EnumMap<>(Document.class);
    private static SchemaRegistry oursRegistry;

    private final SchemaRegistry registry;
    private final Schema schema;

    private SchemaValidator(SchemaRegistry registry, Schema schema) {
        this.registry = registry;
        this.schema = schema;
    }

    /**
     * Our schema for {@code document}, loaded from the class path on first use. The config schema
     * comes from {@link PrebuiltSchemas}, which the native image builds at image build time.
     */
    public static SchemaValidator ours(Document document) {
        Objects.requireNonNull(document, "document");
        if (document == Document.CONFIG) {
            return PrebuiltSchemas.CONFIG;
        }
        return load(document);
    }

    /** Loads our schema for {@code document} (once per document) with every validator built. */
    static SchemaValidator load(Document document) {
        synchronized (OURS) {
            SchemaValidator v = OURS.get(document);
            if (v == null) {
                if (oursRegistry == null) {
                    oursRegistry = newRegistry(b -> b.schemaIdResolvers(
                            r -> r.mapPrefix(SCHEMA_ID_BASE, "classpath:" + RESOURCE_DIR)));
                }
                Schema schema = oursRegistry.getSchema(SchemaLocation.of(SCHEMA_ID_BASE + document.fileName()));
                schema.initializeValidators();
                v = new SchemaValidator(oursRegistry, schema);
                OURS.put(document, v);
            }
            return v;
        }
    }

    /**
     * A schema read from a file, e.g. one of the official runtime-spec schemas. Relative
     * {@code $ref}s are resolved against the file's directory; the {@code $schema} of each file
     * picks the draft (04 to 2020-12). Our own schemas can be loaded this way too: their
     * {@code $id}s are mapped to the file's directory.
     */
    public static SchemaValidator fromFile(Path schemaFile) {
        Path file = schemaFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such schema file: " + file);
        }
        String dirUri = file.getParent().toUri().toString();
        String dialectId = declaredDialect(file);
        SchemaRegistry registry = newRegistry(b -> b
                .defaultDialectId(dialectId)
                .schemaIdResolvers(r -> r.mapPrefix(SCHEMA_ID_BASE, dirUri))
                .resourceLoaders(r -> r.add(FILE_LOADER)));
        return new SchemaValidator(registry, registry.getSchema(SchemaLocation.of(file.toUri().toString())));
    }

    /** Every violation of the schema by {@code document}, sorted by pointer then message; empty if valid. */
    public List<Violation> validate(JsonNode document) {
        Objects.requireNonNull(document, "document");
        List<Error> errors = schema.validate(document);
        if (errors.isEmpty()) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>(errors.size());
        for (Error e : errors) {
            Violation v = Messages.toViolation(e, registry);
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        out.sort(null);
        return List.copyOf(out);
    }

    private static SchemaRegistry newRegistry(java.util.function.Consumer<SchemaRegistry.Builder> customizer) {
        // Draft 2020-12 with the draft-04 reading of "integer" (see IntegerLiteralType); the
        // older drafts as they are, for the official (draft-04) schemas.
        Dialect draft2020 = Dialect.builder(Dialects.getDraft202012()).keyword(IntegerLiteralType.KEYWORD).build();
        List<Dialect> dialects = List.of(draft2020, Dialects.getDraft201909(), Dialects.getDraft7(),
                Dialects.getDraft6(), Dialects.getDraft4());
        return SchemaRegistry.withDialects(dialects, b -> {
            b.defaultDialectId(draft2020.getId()).schemaRegistryConfig(CONFIG);
            customizer.accept(b);
        });
    }

    /**
     * The dialect of the root file's {@code $schema} (2020-12 if absent). Referenced files that
     * declare none, like the official {@code defs.json}, are read in the same dialect: the
     * official schemas are all draft-04, but only their entry points say so.
     */
    private static String declaredDialect(Path file) {
        try {
            JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
            String id = root.path("$schema").asText("");
            if (id.endsWith("#")) {
                id = id.substring(0, id.length() - 1);
            }
            return id.isEmpty() ? Dialects.getDraft202012().getId() : id;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read schema " + file, e);
        }
    }

    /** Reads {@code file:} IRIs (only used by {@link #fromFile}). */
    private static final ResourceLoader FILE_LOADER = iri -> {
        String s = iri.toString();
        if (!s.startsWith("file:")) {
            return null;
        }
        Path p = Path.of(java.net.URI.create(s));
        return Files.isRegularFile(p) ? (InputStreamSource) () -> Files.newInputStream(p) : null;
    };

    /** RFC 6901 pointer of a networknt instance location. */
    static String pointer(NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            sb.append('/').append(Violation.escape(String.valueOf(path.getElement(i))));
        }
        return sb.toString();
    }
}
