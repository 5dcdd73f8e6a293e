package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.spec.validate.TestDocuments.Doc;
import dev.jrunc.spec.validate.TestDocuments.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Our schemas and the official v1.3.0 ones give the same verdict on every official fixture and on
 * every corpus document, and that verdict is the one the document's directory stands for.
 */
class SchemaAgreementTest {

    /**
     * Documents on which we knowingly differ from the official schema, with the reason (none
     * today). Only non-Linux sections may ever appear here.
     */
    static final Map<String, String> KNOWN_DISAGREEMENTS = Map.of();

    static List<Doc> documents() {
        return TestDocuments.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void sameVerdictAsOfficial(Doc doc) throws IOException {
        JsonNode node;
        try {
            node = TestDocuments.parse(doc.path());
        } catch (IOException notJson) {
            // Invalid JSON never reaches either schema: it fails in the parser, for both.
            assertEquals(Verdict.REJECT, doc.expected(), doc + " is not JSON but is filed as acceptable: " + notJson);
            assertThrows(IOException.class, () -> TestDocuments.parse(doc.path()));
            return;
        }
        List<Violation> ours = SchemaValidator.ours(doc.kind()).validate(node);
        List<Violation> official = TestDocuments.official(doc.kind()).validate(node);
        String verdicts = doc + ": ours " + verdict(ours) + ", official " + verdict(official);

        String known = KNOWN_DISAGREEMENTS.get(doc.label());
        if (known != null) {
            if (!ours.isEmpty() || official.isEmpty()) {
                fail("known disagreement no longer as documented (" + known + "); " + verdicts);
            }
            return;
        }
        if (ours.isEmpty() != official.isEmpty()) {
            fail("schemas disagree: " + verdicts);
        }
        boolean accepted = ours.isEmpty();
        if (accepted != (doc.expected() == Verdict.ACCEPT)) {
            fail("both schemas " + (accepted ? "accept" : "reject") + " a document filed as "
                    + doc.expected() + ": " + verdicts);
        }
    }

    private static String verdict(List<Violation> vs) {
        return vs.isEmpty() ? "accepts" : "rejects " + vs;
    }
}
