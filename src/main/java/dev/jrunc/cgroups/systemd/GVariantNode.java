package dev.jrunc.cgroups.systemd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One parsed GVariant value before its type is settled, as runc's library keeps it: the types
 * it could have ({@link #sigs}), the one it takes when nothing else says ({@link #infer}), and
 * its Java value as a given type ({@link #value}), in the forms the D-Bus encoder writes.
 */
sealed interface GVariantNode {
    Set<String> sigs();

    String infer() throws GVariantException;

    Object value(String sig) throws GVariantException;

    /** How the node shows in an error. */
    String text();

    /** The one type the node can have, else the inferred one. */
    static String settle(GVariantNode n) throws GVariantException {
        Set<String> s = n.sigs();
        return s.size() == 1 ? s.iterator().next() : n.infer();
    }

    private static boolean fractional(String s) {
        return s.contains(".") || s.contains("e");
    }

    /** A number: untyped ({@code sig} null) until its container or the top level gives it a type. */
    record Num(String str, String sig, Object val) implements GVariantNode {
        static final Set<String> ALL = new LinkedHashSet<>(List.of("y", "n", "q", "i", "u", "x", "t", "d"));

        @Override
        public Set<String> sigs() {
            return sig != null ? Set.of(sig) : fractional(str) ? Set.of("d") : ALL;
        }

        @Override
        public String infer() {
            return fractional(str) ? "d" : "i";
        }

        @Override
        public Object value(String as) throws GVariantException {
            if (sig != null && !sig.equals(as)) {
                throw GVariantException.type(str, as);
            }
            return val != null ? val : GVariantNumbers.as(str, as);
        }

        @Override
        public String text() {
            return str;
        }
    }

    /** A string, an object path or a signature. */
    record Str(String str, String sig) implements GVariantNode {
        @Override
        public Set<String> sigs() {
            return sig != null ? Set.of(sig) : new LinkedHashSet<>(List.of("s", "g", "o"));
        }

        @Override
        public String infer() {
            return "s";
        }

        @Override
        public Object value(String as) throws GVariantException {
            if ((sig != null && !sig.equals(as)) || !Set.of("s", "g", "o").contains(as)) {
                throw GVariantException.type(str, as);
            }
            return str;
        }

        @Override
        public String text() {
            return str;
        }
    }

    record Bool(boolean b) implements GVariantNode {
        @Override
        public Set<String> sigs() {
            return Set.of("b");
        }

        @Override
        public String infer() {
            return "b";
        }

        @Override
        public Object value(String as) throws GVariantException {
            if (!as.equals("b")) {
                throw GVariantException.type(text(), as);
            }
            return b;
        }

        @Override
        public String text() {
            return String.valueOf(b);
        }
    }

    /** {@code b"..."}: bytes with a NUL added, as runc's library gives them. */
    record Bytes(byte[] bytes) implements GVariantNode {
        @Override
        public Set<String> sigs() {
            return Set.of("ay");
        }

        @Override
        public String infer() {
            return "ay";
        }

        @Override
        public Object value(String as) throws GVariantException {
            if (!as.equals("ay")) {
                throw GVariantException.type(text(), as);
            }
            return bytes.clone();
        }

        @Override
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code [a, b]}: the array types every element allows. */
    record Array(Set<String> sigs, List<GVariantNode> children) implements GVariantNode {
        @Override
        public String infer() throws GVariantException {
            for (GVariantNode c : children) {
                try {
                    return "a" + settle(c);
                } catch (GVariantException e) {
                    // as runc: the next element may tell
                }
            }
            throw new GVariantException("can't infer type for " + GoQuote.of(text()));
        }

        @Override
        public Object value(String as) throws GVariantException {
            if (!as.startsWith("a") || (!sigs.isEmpty() && !sigs.contains(as))) {
                throw GVariantException.type(text(), as);
            }
            List<Object> out = new ArrayList<>();
            for (GVariantNode c : children) {
                out.add(c.value(as.substring(1)));
            }
            return out;
        }

        @Override
        public String text() {
            return children.stream().map(GVariantNode::text).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** {@code <value>}: a variant holding a value of its own type. */
    record Boxed(GVariantNode inner) implements GVariantNode {
        @Override
        public Set<String> sigs() {
            return Set.of("v");
        }

        @Override
        public String infer() {
            return "v";
        }

        @Override
        public Object value(String as) throws GVariantException {
            if (!as.equals("v")) {
                throw GVariantException.type(text(), as);
            }
            String sig = settle(inner);
            return GVariantText.variant(sig, inner.value(sig));
        }

        @Override
        public String text() {
            return "<" + inner.text() + ">";
        }
    }

    /** {@code {k: v, ...}}: a dictionary, the key and value types every entry allows. */
    record Dict(Set<String> keySigs, Set<String> valueSigs, List<GVariantNode[]> entries) implements GVariantNode {
        @Override
        public Set<String> sigs() {
            Set<String> r = new LinkedHashSet<>();
            for (String k : keySigs) {
                for (String v : valueSigs) {
                    r.add("a{" + k + v + "}");
                }
            }
            return r;
        }

        @Override
        public String infer() throws GVariantException {
            for (GVariantNode[] e : entries) {
                try {
                    return "a{" + settle(e[0]) + settle(e[1]) + "}";
                } catch (GVariantException ex) {
                    // as runc: the next entry may tell
                }
            }
            throw new GVariantException("can't infer type for " + GoQuote.of(text()));
        }

        /** The entries as {@code [key, value]} lists, one per key (a later one wins, as in runc's map). */
        @Override
        public Object value(String as) throws GVariantException {
            Set<String> all = sigs();
            if (!as.startsWith("a{") || as.length() < 5 || (!all.isEmpty() && !all.contains(as))) {
                throw GVariantException.type(text(), as);
            }
            String k = as.substring(2, 3);
            String v = as.substring(3, as.length() - 1);
            Map<Object, Object> m = new LinkedHashMap<>();
            for (GVariantNode[] e : entries) {
                m.put(e[0].value(k), e[1].value(v));
            }
            List<Object> out = new ArrayList<>();
            m.forEach((key, value) -> out.add(List.of(key, value)));
            return out;
        }

        @Override
        public String text() {
            return entries.stream().map(e -> e[0].text() + ": " + e[1].text()).collect(Collectors.joining(", ", "{", "}"));
        }
    }
}
