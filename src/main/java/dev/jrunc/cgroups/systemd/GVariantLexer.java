package dev.jrunc.cgroups.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits the GVariant text runc accepts in an {@code org.systemd.property.*} annotation into
 * tokens, as runc's D-Bus library (godbus) does: the whole text is split before it is parsed,
 * and the first malformed piece ends the list with an error token (which the parser reports only
 * if it gets that far: runc ignores what follows the first value).
 */
final class GVariantLexer {
    enum Kind { EOF, ERROR, NUMBER, STRING, BOOL, ARRAY_START, ARRAY_END, DICT_START, DICT_END, VARIANT_START, VARIANT_END,
        COMMA, COLON, TYPE, BYTE_STRING }

    /** One token: its kind and its text (the error's message for {@link Kind#ERROR}). */
    record Token(Kind kind, String text) {}

    /** The type keywords and the signature each stands for ({@code double} is godbus's {@code f}, which no value has). */
    static final Map<String, String> TYPE_WORDS = Map.ofEntries(Map.entry("boolean", "b"), Map.entry("byte", "y"),
            Map.entry("int16", "n"), Map.entry("uint16", "q"), Map.entry("int32", "i"), Map.entry("uint32", "u"),
            Map.entry("int64", "x"), Map.entry("uint64", "t"), Map.entry("double", "f"), Map.entry("string", "s"),
            Map.entry("objectpath", "o"), Map.entry("signature", "g"));

    private final String in;
    private int pos;
    private final List<Token> tokens = new ArrayList<>();

    private GVariantLexer(String in) {
        this.in = in;
    }

    static List<Token> tokens(String text) {
        GVariantLexer l = new GVariantLexer(text);
        l.run();
        return l.tokens;
    }

    private void run() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            Kind single = switch (c) {
                case '[' -> Kind.ARRAY_START;
                case ']' -> Kind.ARRAY_END;
                case '{' -> Kind.DICT_START;
                case '}' -> Kind.DICT_END;
                case '<' -> Kind.VARIANT_START;
                case '>' -> Kind.VARIANT_END;
                case ':' -> Kind.COLON;
                case ',' -> Kind.COMMA;
                default -> null;
            };
            boolean ok;
            if (single != null) {
                tokens.add(new Token(single, String.valueOf(c)));
                pos++;
                ok = true;
            } else if (Character.isWhitespace(c)) {
                pos++;
                ok = true;
            } else if (c == '\'' || c == '"') {
                ok = quoted(pos, Kind.STRING, "unterminated string");
            } else if (c == '@') {
                ok = type();
            } else if ((c >= '0' && c <= '9') || c == '+' || c == '-') {
                ok = number();
            } else if (c == 'b' && pos + 1 < in.length() && (in.charAt(pos + 1) == '"' || in.charAt(pos + 1) == '\'')) {
                ok = quoted(pos + 1, Kind.BYTE_STRING, "unterminated bytestring");
            } else if (in.startsWith("true", pos)) {
                tokens.add(new Token(Kind.BOOL, "true"));
                pos += 4;
                ok = true;
            } else if (in.startsWith("false", pos)) {
                tokens.add(new Token(Kind.BOOL, "false"));
                pos += 5;
                ok = true;
            } else {
                ok = type();
            }
            if (!ok) {
                return;
            }
        }
        tokens.add(new Token(Kind.EOF, ""));
    }

    private boolean error(String message) {
        tokens.add(new Token(Kind.ERROR, message));
        return false;
    }

    /** A quoted string whose opening quote is at {@code quote}; a backslash escapes the next character. */
    private boolean quoted(int quote, Kind kind, String unterminated) {
        char q = in.charAt(quote);
        int i = quote + 1;
        while (true) {
            if (i >= in.length()) {
                return error(unterminated);
            }
            char c = in.charAt(i++);
            if (c == '\\') {
                if (i >= in.length()) {
                    return error(unterminated);
                }
                i++;
            } else if (c == q) {
                break;
            }
        }
        tokens.add(new Token(kind, in.substring(pos, i)));
        pos = i;
        return true;
    }

    /** {@code @SIGNATURE} or a type keyword, up to the next white space. */
    private boolean type() {
        int end = pos;
        while (end < in.length() && !Character.isWhitespace(in.charAt(end))) {
            end++;
        }
        String word = in.substring(pos, end);
        if (word.startsWith("@")) {
            String bad = SignatureCheck.problem(word.substring(1));
            if (bad != null) {
                return error(bad);
            }
        } else if (!TYPE_WORDS.containsKey(word)) {
            return error("unrecognized type " + GoQuote.of(word));
        }
        tokens.add(new Token(Kind.TYPE, word));
        pos = end;
        return true;
    }

    /** A sign, digits (octal after a 0, hex after 0x), a fraction, an exponent; a letter right after is an error. */
    private boolean number() {
        int i = pos;
        if (in.charAt(i) == '+' || in.charAt(i) == '-') {
            i++;
        }
        String digits = "0123456789";
        if (i < in.length() && in.charAt(i) == '0') {
            i++;
            if (i < in.length() && in.charAt(i) == 'x') {
                i++;
                digits = "0123456789abcdefABCDEF";
            } else {
                digits = "01234567";
            }
        }
        i = skip(i, digits);
        if (i < in.length() && in.charAt(i) == '.') {
            i = skip(i + 1, digits);
        }
        if (i < in.length() && (in.charAt(i) == 'e' || in.charAt(i) == 'E')) {
            i++;
            if (i < in.length() && (in.charAt(i) == '+' || in.charAt(i) == '-')) {
                i++;
            }
            i = skip(i, "0123456789");
        }
        if (i < in.length() && Character.isLetter(in.codePointAt(i))) {
            return error("bad number syntax: " + GoQuote.of(in.substring(pos, i + Character.charCount(in.codePointAt(i)))));
        }
        tokens.add(new Token(Kind.NUMBER, in.substring(pos, i)));
        pos = i;
        return true;
    }

    private int skip(int i, String set) {
        while (i < in.length() && set.indexOf(in.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }
}
