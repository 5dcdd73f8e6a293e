package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Static checks of the files in {@code oci-spec-schemas/}: ids, references, descriptions, packaging. */
class SchemaFilesTest {

    private static final Path DIR = Path.of("oci-spec-schemas");

    private static Map<String, JsonNode> schemas() throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        for (Path p : TestDocuments.jsonFiles(DIR)) {
            out.put(p.getFileName().toString(), TestDocuments.STRICT.readTree(p.toFile()));
        }
        assertFalse(out.isEmpty(), "no schema under " + DIR.toAbsolutePath());
        return out;
    }

    @Test
    void everyFileIsDraft202012WithItsIdTitleAndDescription() throws IOException {
        List<String> problems = new ArrayList<>();
        schemas().forEach((name, s) -> {
            if (!"https://json-schema.org/draft/2020-12/schema".equals(s.path("$schema").asText())) {
                problems.add(name + ": $schema");
            }
            if (!(SchemaValidator.SCHEMA_ID_BASE + name).equals(s.path("$id").asText())) {
                problems.add(name + ": $id " + s.path("$id"));
            }
            if (s.path("title").asText().isBlank() || s.path("description").asText().isBlank()) {
                problems.add(name + ": title/description");
            }
            s.path("$defs").properties().forEach(e -> {
                if (e.getValue().path("description").asText().isBlank()) {
                    problems.add(name + ": $defs/" + e.getKey() + " has no description");
                }
            });
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyReferenceIsRelativeAndResolves() throws IOException {
        Map<String, JsonNode> schemas = schemas();
        List<String> problems = new ArrayList<>();
        schemas.forEach((name, s) -> collectRefs(s, "", name, schemas, problems));
        assertEquals(List.of(), problems);
    }

    private static void collectRefs(JsonNode n, String at, String file, Map<String, JsonNode> all, List<String> problems) {
        if (n.isObject()) {
            JsonNode ref = n.get("$ref");
            if (ref != null) {
                String r = ref.asText();
                int hash = r.indexOf('#');
                String target = hash < 0 ? r : r.substring(0, hash);
                String fragment = hash < 0 ? "" : r.substring(hash + 1);
                JsonNode doc = target.isEmpty() ? all.get(file) : all.get(target);
                if (r.contains(":") || doc == null) {
                    problems.add(file + at + ": $ref " + r + " is not a sibling schema file");
                } else if (doc.at(fragment).isMissingNode()) {
                    problems.add(file + at + ": $ref " + r + " points at nothing");
                }
            }
            n.properties().forEach(e -> collectRefs(e.getValue(), at + "/" + e.getKey(), file, all, problems));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collectRefs(n.get(i), at + "/" + i, file, all, problems);
            }
        }
    }

    @Test
    void everyFileIsPackagedOnTheClassPath() throws IOException {
        for (String name : schemas().keySet()) {
            try (InputStream in = SchemaValidator.class.getResourceAsStream("/" + SchemaValidator.RESOURCE_DIR + name)) {
                assertNotNull(in, name + " is not on the class path");
            }
        }
        for (SchemaValidator.Document d : SchemaValidator.Document.values()) {
            assertNotNull(SchemaValidator.class.getResource("/" + SchemaValidator.RESOURCE_DIR + d.fileName()), d.fileName());
            assertFalse(SchemaValidator.ours(d) == null);
        }
        assertEquals(true, Files.isDirectory(DIR));
    }
}
