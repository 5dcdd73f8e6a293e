package dev.jrunc.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a valid JSON document for the fuzz tests: a member or element deleted or
 * replaced by a value of another type (huge and negative numbers, odd strings: NUL, control
 * characters, unicode, very long, path tricks), deep nesting, unknown members; or, as text,
 * truncated, spliced or a byte flipped. The same seed gives the same cases.
 */
final class JsonMutator {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] ODD_STRINGS = {
        "", " ", "\0", "a\0b", "/proc\0", "\n", "\t\r", "../../../../etc/passwd", "/", "//", ".", "..",
        "\u00e9\u4e2d\ud83d\ude00", "\ud800", "\u202e", "%s%n", "${HOME}", "-1", "9999999999999999999999",
        "KILL ", " 9", "SIGRTMAX+100", "0x10", "true", "null", "{}", "[]", "a=b=c", "=", "rw,nosuid",
        "/dev/null", "/sys/fs/cgroup", "none", "bind", "rbind", "proc", "CAP_SYS_ADMIN", "CAP_NOPE",
    };
    private static final long[] ODD_NUMBERS = {
        0, -1, 1, -2147483648L, 2147483647L, 2147483648L, -9223372036854775808L, 9223372036854775807L, 4294967295L, 65536, 07777,
    };

    private final Random random;

    JsonMutator(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** 1 to 3 mutations of a copy of {@code base}, as bytes (a tenth of the time a text mutation instead). */
    byte[] mutate(JsonNode base) {
        if (random.nextInt(10) == 0) {
            return mutateText(text(base));
        }
        JsonNode doc = base.deepCopy();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            doc = mutateTree(doc);
        }
        return text(doc);
    }

    /** Writes any depth (jrunc's own mapper refuses to write what it would refuse to read). */
    private static final com.fasterxml.jackson.databind.ObjectMapper WRITER = com.fasterxml.jackson.databind.json.JsonMapper.builder(
            com.fasterxml.jackson.core.JsonFactory.builder().streamWriteConstraints(
                    com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(1_000_000).build()).build()).build();

    static byte[] text(JsonNode doc) {
        try {
            return expandDeep(WRITER.writeValueAsString(doc)).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] mutateText(byte[] text) {
        byte[] out;
        switch (random.nextInt(4)) {
            case 0 -> out = java.util.Arrays.copyOf(text, random.nextInt(text.length + 1)); // truncated
            case 1 -> {
                out = text.clone();
                out[random.nextInt(out.length)] = (byte) random.nextInt(256); // a byte flipped
            }
            case 2 -> out = new byte[0];
            default -> {
                String s = new String(text, StandardCharsets.UTF_8);
                int at = random.nextInt(s.length() + 1);
                String[] splice = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "null", "1e999", "-0"};
                out = (s.substring(0, at) + splice[random.nextInt(splice.length)] + s.substring(at)).getBytes(StandardCharsets.UTF_8);
            }
        }
        return out;
    }

    /** One mutation at a random node of {@code doc}; returns the (possibly new) root. */
    private JsonNode mutateTree(JsonNode doc) {
        List<JsonNode> containers = new ArrayList<>();
        collect(doc, containers, 0);
        if (containers.isEmpty()) {
            return value(0);
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty() || random.nextInt(6) == 0) {
                o.set(random.nextBoolean() ? "x-unknown" : oddString(), value(0));
            } else {
                String name = names.get(random.nextInt(names.size()));
                if (random.nextInt(4) == 0) {
                    o.remove(name);
                } else {
                    o.set(name, value(0));
                }
            }
        } else if (target instanceof ArrayNode a) {
            if (a.isEmpty() || random.nextInt(4) == 0) {
                a.add(value(0));
            } else {
                int i = random.nextInt(a.size());
                if (random.nextInt(3) == 0) {
                    a.remove(i);
                } else {
                    a.set(i, value(0));
                }
            }
        }
        return doc;
    }

    /** The containers down to a depth of 12 (below that, a deep nesting made by an earlier mutation). */
    private static void collect(JsonNode node, List<JsonNode> out, int depth) {
        if (node.isContainerNode() && depth < 12) {
            out.add(node);
            node.forEach(child -> collect(child, out, depth + 1));
        }
    }

    /** A random value: odd strings and numbers most often, sometimes a container or deep nesting. */
    JsonNode value(int depth) {
        switch (random.nextInt(depth > 2 ? 6 : 9)) {
            case 0, 1 -> {
                return F.textNode(oddString());
            }
            case 2 -> {
                return F.numberNode(ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]);
            }
            case 3 -> {
                return random.nextBoolean() ? F.numberNode(random.nextGaussian() * 1e6)
                        : F.numberNode(new java.math.BigInteger(100, random).negate());
            }
            case 4 -> {
                return random.nextBoolean() ? F.booleanNode(random.nextBoolean()) : F.nullNode();
            }
            case 5 -> {
                return F.textNode(longString());
            }
            case 6 -> {
                ArrayNode a = F.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(value(depth + 1));
                }
                return a;
            }
            case 7 -> {
                ObjectNode o = F.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    o.set(oddString(), value(depth + 1));
                }
                return o;
            }
            default -> {
                return deep(random.nextBoolean() ? 20 + random.nextInt(60) : 90 + random.nextInt(5000));
            }
        }
    }

    /** A marker the text form replaces with the nesting (a tree that deep would overflow this thread's stack). */
    private static final String DEEP = "@@deep@@";

    private static JsonNode deep(int levels) {
        return F.textNode(DEEP + levels);
    }

    private static final java.util.regex.Pattern DEEP_VALUE = java.util.regex.Pattern.compile("\"" + DEEP + "(\\d+)\"");

    private static String expandDeep(String json) {
        return DEEP_VALUE.matcher(json).replaceAll(r -> {
            int n = Integer.parseInt(r.group(1));
            return "[{\"a\":".repeat(n / 2) + "1" + "}]".repeat(n / 2);
        });
    }

    String oddString() {
        if (random.nextInt(4) == 0) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                s.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(0x2ffff));
            }
            return s.toString();
        }
        return ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
    }

    private String longString() {
        return "x".repeat(random.nextBoolean() ? 4096 : 70_000);
    }
}
