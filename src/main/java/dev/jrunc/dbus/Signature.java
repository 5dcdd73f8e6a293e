package dev.jrunc.dbus;

import java.util.ArrayList;
import java.util.List;

/** Splits and checks D-Bus type signatures (all but unix fds, {@code h}, which jrunc never passes). */
final class Signature {
    private static final String BASIC = "ybnqiuxtdsog";

    private Signature() {}

    /** The single complete types of {@code sig}, in order. */
    static List<String> split(String sig) {
        List<String> types = new ArrayList<>();
        int i = 0;
        while (i < sig.length()) {
            int end = end(sig, i);
            types.add(sig.substring(i, end));
            i = end;
        }
        return types;
    }

    static void checkSingle(String sig) {
        if (sig == null || sig.isEmpty() || end(sig, 0) != sig.length()) {
            throw new IllegalArgumentException("not a single complete type: " + sig);
        }
    }

    /** The index just past the single complete type starting at {@code i}. */
    static int end(String sig, int i) {
        if (i >= sig.length()) {
            throw new IllegalArgumentException("truncated signature: " + sig);
        }
        char c = sig.charAt(i);
        if (c == 'a') {
            return end(sig, i + 1);
        }
        if (c == '(') {
            int j = i + 1;
            while (j < sig.length() && sig.charAt(j) != ')') {
                j = end(sig, j);
            }
            if (j >= sig.length() || j == i + 1) {
                throw new IllegalArgumentException("bad struct in signature: " + sig);
            }
            return j + 1;
        }
        if (c == '{') {
            // a dict entry {kv}: a basic key and any value (arrays of them: a{sv})
            if (i + 1 >= sig.length() || BASIC.indexOf(sig.charAt(i + 1)) < 0) {
                throw new IllegalArgumentException("bad dict entry in signature: " + sig);
            }
            int j = end(sig, end(sig, i + 1));
            if (j >= sig.length() || sig.charAt(j) != '}') {
                throw new IllegalArgumentException("bad dict entry in signature: " + sig);
            }
            return j + 1;
        }
        if (c == 'v' || BASIC.indexOf(c) >= 0) {
            return i + 1;
        }
        throw new IllegalArgumentException("unsupported type '" + c + "' in signature: " + sig);
    }

    /** The alignment of values of a type, by its first character. */
    static int alignment(char c) {
        return switch (c) {
            case 'y', 'g', 'v' -> 1;
            case 'n', 'q' -> 2;
            case 'x', 't', 'd', '(', '{' -> 8;
            default -> 4;
        };
    }
}
