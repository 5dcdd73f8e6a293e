package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jrunc.spec.validate.SchemaValidator.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Locates the official schemas, their fixtures and our corpus among the test resources. */
final class TestDocuments {

    /** First line of a {@code .expect} file for a document that is not JSON at all. */
    static final String PARSE_ERROR = "!parse-error";

    /**
     * Parses like runc's Go decoder would accept: strict JSON, one value, nothing after it
     * (Jackson by default ignores trailing tokens; encoding/json does not).
     */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Map<Document, SchemaValidator> OFFICIAL = new EnumMap<>(Document.class);

    private TestDocuments() {
    }

    static Path resource(String name) {
        try {
            var url = TestDocuments.class.getResource("/" + name);
            if (url == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String dirName(Document d) {
        return d.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The official v1.3.0 schema for {@code d}, loaded from the copied files. */
    static synchronized SchemaValidator official(Document d) {
        return OFFICIAL.computeIfAbsent(d, k -> SchemaValidator.fromFile(
                resource("official-schema/" + dirName(k) + "-schema.json")));
    }

    /** Every {@code *.json} directly in {@code dir}, sorted; empty if the directory does not exist. */
    static List<Path> jsonFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A document of the test data: which schema applies, where it is, and what verdict its directory means. */
    record Doc(Document kind, Path path, String label, Verdict expected) {
        @Override
        public String toString() {
            return label;
        }

        Path expectFile() {
            String n = path.getFileName().toString();
            return path.resolveSibling(n.substring(0, n.length() - ".json".length()) + ".expect");
        }
    }

    /** good and loose documents must be accepted, bad ones rejected (or not even parse). */
    enum Verdict { ACCEPT, REJECT }

    /** Official fixtures and our corpus, every kind, every directory. */
    static List<Doc> all() {
        List<Doc> out = new ArrayList<>();
        for (Document kind : Document.values()) {
            String k = dirName(kind);
            add(out, kind, "official-schema/test/" + k + "/good", Verdict.ACCEPT);
            add(out, kind, "official-schema/test/" + k + "/bad", Verdict.REJECT);
            add(out, kind, "corpus/" + k + "/good", Verdict.ACCEPT);
            add(out, kind, "corpus/" + k + "/loose", Verdict.ACCEPT);
            add(out, kind, "corpus/" + k + "/bad", Verdict.REJECT);
        }
        return out;
    }

    static List<Doc> corpus(Verdict verdict) {
        return all().stream()
                .filter(d -> d.label().startsWith("corpus/") && d.expected() == verdict)
                .toList();
    }

    private static void add(List<Doc> out, Document kind, String dir, Verdict verdict) {
        Path base = resource("corpus").getParent();
        for (Path p : jsonFiles(base.resolve(dir))) {
            out.add(new Doc(kind, p, dir + "/" + p.getFileName(), verdict));
        }
    }

    /** Parses strictly; throws on anything that is not exactly one JSON value. */
    static JsonNode parse(Path p) throws IOException {
        return STRICT.readTree(Files.readAllBytes(p));
    }
}
