package dev.jrunc.spec.validate;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.spec.validate.SchemaValidator.Document;
import dev.jrunc.spec.validate.TestDocuments.Doc;
import dev.jrunc.spec.validate.TestDocuments.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Beyond the corpus: mutants of the acceptable documents. Systematically, every location that
 * occurs in them (counted once per shape, array indexes ignored) gets each edge value (other
 * types, range limits plus one, 1.0) and, for members, is removed; then random double mutations
 * with a fixed seed. Ours and the official schema must give the same verdict on each, except for
 * violations the official schema finds only inside another platform's section, which we
 * deliberately do not describe.
 */
class MutationAgreementTest {

    private static final int RANDOM_MUTANTS = 1500;
    private static final int EDGE_VALUES = 18;
    private static final Pattern OTHER_PLATFORM = Pattern.compile("^/(windows|solaris|vm|zos|freebsd)(/.*)?$");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @ParameterizedTest
    @EnumSource(Document.class)
    void mutantsGetTheSameVerdict(Document kind) throws IOException {
        List<JsonNode> bases = new ArrayList<>();
        for (Doc d : TestDocuments.all()) {
            if (d.kind() == kind && d.expected() == Verdict.ACCEPT) {
                bases.add(TestDocuments.parse(d.path()));
            }
        }
        SchemaValidator ours = SchemaValidator.ours(kind);
        SchemaValidator official = TestDocuments.official(kind);
        List<String> disagreements = new ArrayList<>();
        int checked = 0;

        java.util.Set<String> shapes = new java.util.HashSet<>();
        for (JsonNode base : bases) {
            List<JsonPointer> paths = new ArrayList<>();
            collect(base, JsonPointer.empty(), paths);
            for (JsonPointer p : paths) {
                if (p.matches() || !shapes.add(p.toString().replaceAll("/[0-9]+(?=/|$)", "/#"))) {
                    continue;
                }
                for (int v = -1; v < EDGE_VALUES; v++) {
                    JsonNode doc = base.deepCopy();
                    if (v < 0) {
                        remove(doc, p);
                    } else {
                        replace(doc, p, edgeValue(v));
                    }
                    compare(doc, ours, official, disagreements);
                    checked++;
                }
            }
        }
        Random rnd = new Random(20251125L + kind.ordinal());
        for (int i = 0; i < RANDOM_MUTANTS; i++) {
            JsonNode doc = bases.get(rnd.nextInt(bases.size())).deepCopy();
            for (int k = 2; k > 0; k--) {
                List<JsonPointer> paths = new ArrayList<>();
                collect(doc, JsonPointer.empty(), paths);
                JsonPointer p = paths.get(rnd.nextInt(paths.size()));
                if (!p.matches()) {
                    if (rnd.nextInt(3) == 0) {
                        remove(doc, p);
                    } else {
                        replace(doc, p, edgeValue(rnd.nextInt(EDGE_VALUES)));
                    }
                }
            }
            compare(doc, ours, official, disagreements);
            checked++;
        }
        assertEquals(List.of(), disagreements.stream().limit(5).toList(),
                disagreements.size() + " disagreements in " + checked + " mutants");
    }

    private static void compare(JsonNode doc, SchemaValidator ours, SchemaValidator official, List<String> out) {
        List<Violation> o = ours.validate(doc);
        List<Violation> f = official.validate(doc);
        boolean onlyOtherPlatforms = !f.isEmpty()
                && f.stream().allMatch(v -> OTHER_PLATFORM.matcher(v.pointer()).matches());
        if (o.isEmpty() != f.isEmpty() && !(o.isEmpty() && onlyOtherPlatforms)) {
            out.add(doc + "\n  ours " + o + "\n  official " + f);
        }
    }

    private static void remove(JsonNode doc, JsonPointer p) {
        JsonNode parent = doc.at(p.head());
        if (parent instanceof ObjectNode o) {
            o.remove(p.last().getMatchingProperty());
        } else if (parent instanceof ArrayNode a) {
            a.remove(p.last().getMatchingIndex());
        }
    }

    private static void replace(JsonNode doc, JsonPointer p, JsonNode value) {
        JsonNode parent = doc.at(p.head());
        if (parent instanceof ObjectNode o) {
            o.set(p.last().getMatchingProperty(), value);
        } else if (parent instanceof ArrayNode a) {
            a.set(p.last().getMatchingIndex(), value);
        }
    }

    private static void collect(JsonNode n, JsonPointer at, List<JsonPointer> out) {
        out.add(at);
        if (n.isObject()) {
            n.properties().forEach(e -> collect(e.getValue(), at.appendProperty(e.getKey()), out));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collect(n.get(i), at.appendIndex(i), out);
            }
        }
    }

    private static JsonNode edgeValue(int which) {
        return switch (which) {
            case 0 -> F.textNode("x");
            case 1 -> F.textNode("");
            case 2 -> F.numberNode(-1);
            case 3 -> F.numberNode(0);
            case 4 -> F.numberNode(1.0);
            case 16 -> F.numberNode(512);
            case 5 -> F.numberNode(65536);
            case 6 -> F.numberNode(2147483648L);
            case 7 -> F.numberNode(4294967296L);
            case 8 -> F.numberNode(Long.MAX_VALUE);
            case 9 -> F.numberNode(new BigInteger("18446744073709551616"));
            case 10 -> F.numberNode(new BigInteger("-9223372036854775809"));
            case 11 -> F.booleanNode(true);
            case 12 -> F.nullNode();
            case 13 -> F.arrayNode();
            case 14 -> F.arrayNode().add("a").add(1);
            case 15 -> F.objectNode();
            default -> F.objectNode().put("", 1).put("k", "v");
        };
    }
}
