package dev.jrunc.cgroups.systemd;

import dev.jrunc.cgroups.systemd.GVariantLexer.Kind;
import dev.jrunc.cgroups.systemd.GVariantLexer.Token;
import dev.jrunc.dbus.Variant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The GVariant text form of a value, as runc reads an {@code org.systemd.property.*} annotation
 * (godbus's ParseVariant with no expected type): numbers ({@code 5} is an int32, {@code 1.5} a
 * double, {@code uint64 5} / {@code @t 5} typed), {@code 'text'} / {@code "text"},
 * {@code true} / {@code false}, {@code b"bytes"}, {@code [arrays]}, {@code {dict: entries}},
 * {@code <variants>}, {@code objectpath "/x"}, {@code signature "s"}. No tuples, no maybes.
 * As runc, only the first value is read: what follows it is ignored.
 */
final class GVariantText {
    /** D-Bus allows 64 nested containers; deeper text is refused before the parser's stack runs out. */
    private static final int MAX_DEPTH = 64;
    private final List<Token> tokens;
    private int next;
    private int depth;

    private GVariantText(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** {@code text} as a D-Bus variant, or runc's parse error. */
    static Variant parse(String text) throws GVariantException {
        GVariantNode n = new GVariantText(GVariantLexer.tokens(text)).node();
        String sig = GVariantNode.settle(n);
        return variant(sig, n.value(sig));
    }

    /** A variant of a settled type; a type jrunc's encoder cannot write (a unix fd, an empty struct) is refused. */
    static Variant variant(String sig, Object value) throws GVariantException {
        try {
            return new Variant(sig, value);
        } catch (IllegalArgumentException e) {
            throw new GVariantException("dbus: can't parse value as type " + GoQuote.of(sig));
        }
    }

    private Token take() {
        return next < tokens.size() ? tokens.get(next++) : new Token(Kind.EOF, "");
    }

    private void back() {
        next--;
    }

    private static GVariantException unexpected(Token t) {
        return new GVariantException("unexpected " + GoQuote.of(t.text()));
    }

    /** A token that must not end the text (EOF) or be the lexer's error. */
    private Token more() throws GVariantException {
        Token t = take();
        if (t.kind() == Kind.EOF) {
            throw new GVariantException("unexpected EOF");
        }
        if (t.kind() == Kind.ERROR) {
            throw new GVariantException(t.text());
        }
        return t;
    }

    private GVariantNode node() throws GVariantException {
        if (++depth > MAX_DEPTH) {
            throw new GVariantException("container nesting too deep");
        }
        try {
            return typedNode();
        } finally {
            depth--;
        }
    }

    private GVariantNode typedNode() throws GVariantException {
        String sig = null;
        while (true) {
            Token t = more();
            switch (t.kind()) {
                case NUMBER -> {
                    return sig == null ? new GVariantNode.Num(t.text(), null, null)
                            : new GVariantNode.Num("", sig, GVariantNumbers.as(t.text(), sig));
                }
                case STRING -> {
                    return string(t, sig);
                }
                case BOOL -> {
                    if (sig != null && !sig.equals("b")) {
                        throw GVariantException.type(t.text(), sig);
                    }
                    return new GVariantNode.Bool(t.text().equals("true"));
                }
                case BYTE_STRING -> {
                    if (sig != null && !sig.equals("ay")) {
                        throw GVariantException.type(t.text(), sig);
                    }
                    return new GVariantNode.Bytes(GVariantEscapes.bytes(t.text().substring(2, t.text().length() - 1)));
                }
                case ARRAY_START -> {
                    return array(sig);
                }
                case VARIANT_START -> {
                    return boxed(sig);
                }
                case DICT_START -> {
                    return dict(sig);
                }
                case TYPE -> {
                    if (sig != null) {
                        throw new GVariantException("unexpected type annotation");
                    }
                    sig = t.text().startsWith("@") ? t.text().substring(1) : GVariantLexer.TYPE_WORDS.get(t.text());
                    // a bare @ gives no type, as in runc
                    sig = sig.isEmpty() ? null : sig;
                }
                default -> throw unexpected(t);
            }
        }
    }

    private static GVariantNode string(Token t, String sig) throws GVariantException {
        if (sig != null && !Set.of("s", "g", "o").contains(sig)) {
            throw new GVariantException("invalid type " + GoQuote.of(sig) + " for string");
        }
        return new GVariantNode.Str(GVariantEscapes.string(t.text().substring(1, t.text().length() - 1)), sig);
    }

    private static Set<String> arrayOf(Set<String> sigs) {
        Set<String> r = new LinkedHashSet<>();
        sigs.forEach(s -> r.add("a" + s));
        return r;
    }

    private GVariantNode array(String sig) throws GVariantException {
        Set<String> sigs = sig == null ? new LinkedHashSet<>() : new LinkedHashSet<>(Set.of(sig));
        List<GVariantNode> children = new ArrayList<>();
        if (take().kind() == Kind.ARRAY_END) {
            return new GVariantNode.Array(sigs, children);
        }
        back();
        while (true) {
            more();
            back();
            GVariantNode c = node();
            sigs = narrow(sigs, arrayOf(c.sigs()), c);
            children.add(c);
            Token t = more();
            if (t.kind() == Kind.ARRAY_END) {
                return new GVariantNode.Array(sigs, children);
            }
            if (t.kind() != Kind.COMMA) {
                throw unexpected(t);
            }
        }
    }

    /** The types both allow; none: runc's "can't parse ... with given type information". */
    private static Set<String> narrow(Set<String> have, Set<String> child, GVariantNode c) throws GVariantException {
        if (child.isEmpty()) {
            return have;
        }
        if (have.isEmpty()) {
            return new LinkedHashSet<>(child);
        }
        Set<String> both = new LinkedHashSet<>(child);
        both.retainAll(have);
        if (both.isEmpty()) {
            throw new GVariantException("can't parse " + GoQuote.of(c.text()) + " with given type information");
        }
        return both;
    }

    private GVariantNode boxed(String sig) throws GVariantException {
        GVariantNode inner = node();
        Token t = take();
        if (t.kind() != Kind.VARIANT_END) {
            throw unexpected(t);
        }
        GVariantNode v = new GVariantNode.Boxed(inner);
        if (sig != null && !sig.equals("v")) {
            throw GVariantException.type(v.text(), sig);
        }
        return v;
    }

    private GVariantNode dict(String sig) throws GVariantException {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> values = new LinkedHashSet<>();
        if (sig != null) {
            if (sig.length() < 5) {
                throw new GVariantException("invalid signature " + GoQuote.of(sig) + " for dict type");
            }
            keys.add(sig.substring(2, 3));
            values.add(sig.substring(3, sig.length() - 1));
        }
        List<GVariantNode[]> entries = new ArrayList<>();
        if (take().kind() == Kind.DICT_END) {
            return new GVariantNode.Dict(keys, values, entries);
        }
        back();
        while (true) {
            more();
            back();
            GVariantNode k = node();
            keys = narrow(keys, k.sigs(), k);
            Token colon = more();
            if (colon.kind() != Kind.COLON) {
                throw unexpected(colon);
            }
            more();
            back();
            GVariantNode v = node();
            values = narrow(values, v.sigs(), v);
            entries.add(new GVariantNode[] {k, v});
            Token t = more();
            if (t.kind() == Kind.DICT_END) {
                return new GVariantNode.Dict(keys, values, entries);
            }
            if (t.kind() != Kind.COMMA) {
                throw unexpected(t);
            }
        }
    }
}
