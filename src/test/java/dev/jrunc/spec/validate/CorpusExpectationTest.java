package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.spec.validate.TestDocuments.Doc;
import dev.jrunc.spec.validate.TestDocuments.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each bad corpus document carries one defect, named by the pointer on the first line of its
 * {@code .expect} file ({@value TestDocuments#PARSE_ERROR} for text that is not JSON); our
 * validator must report exactly that one violation. Good and loose documents yield none.
 */
class CorpusExpectationTest {

    static List<Doc> bad() {
        return TestDocuments.corpus(Verdict.REJECT);
    }

    static List<Doc> acceptable() {
        return TestDocuments.corpus(Verdict.ACCEPT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badDocumentYieldsItsExpectedPointer(Doc doc) throws IOException {
        Path expectFile = doc.expectFile();
        assertTrue(Files.isRegularFile(expectFile), doc + ": missing " + expectFile.getFileName());
        String expected = Files.readAllLines(expectFile).stream().findFirst().orElse("");

        if (expected.equals(TestDocuments.PARSE_ERROR)) {
            assertThrows(IOException.class, () -> TestDocuments.parse(doc.path()), doc + " should not parse");
            return;
        }
        JsonNode node = TestDocuments.parse(doc.path());
        List<Violation> ours = SchemaValidator.ours(doc.kind()).validate(node);
        assertEquals(1, ours.size(), doc + ": a bad corpus document has exactly one defect, got " + ours);
        assertEquals(expected, ours.get(0).pointer(), doc + ": " + ours);
        assertFalse(ours.get(0).message().isBlank(), doc + ": empty message");

        // The official schema finds the same defect at the same place.
        List<String> officialPointers = TestDocuments.official(doc.kind()).validate(node).stream()
                .map(Violation::pointer).toList();
        assertTrue(officialPointers.contains(expected), doc + ": official reports " + officialPointers);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptable")
    void goodDocumentYieldsNothing(Doc doc) throws IOException {
        List<Violation> ours = SchemaValidator.ours(doc.kind()).validate(TestDocuments.parse(doc.path()));
        assertEquals(List.of(), ours, doc.toString());
    }

    @Test
    void everyExpectFileHasItsDocument() throws IOException {
        List<String> orphans = new ArrayList<>();
        for (SchemaValidator.Document kind : SchemaValidator.Document.values()) {
            Path dir = TestDocuments.resource("corpus/" + TestDocuments.dirName(kind) + "/bad");
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".expect"))
                        .filter(p -> !Files.exists(Path.of(p.toString().replaceAll("\\.expect$", ".json"))))
                        .forEach(p -> orphans.add(p.toString()));
            }
        }
        assertEquals(List.of(), orphans);
    }

    @Test
    void corpusIsLargeEnough() {
        long config = TestDocuments.all().stream()
                .filter(d -> d.label().startsWith("corpus/config/"))
                .count();
        assertTrue(config >= 30, "config corpus has " + config + " documents");
        for (SchemaValidator.Document kind : SchemaValidator.Document.values()) {
            String prefix = "corpus/" + TestDocuments.dirName(kind) + "/";
            assertTrue(TestDocuments.all().stream().anyMatch(d -> d.label().startsWith(prefix + "good/")), prefix + "good");
            assertTrue(TestDocuments.all().stream().anyMatch(d -> d.label().startsWith(prefix + "bad/")), prefix + "bad");
        }
    }
}
