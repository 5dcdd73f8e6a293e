package dev.jrunc.cgroups.systemd;

/**
 * Checks the signature of an {@code @TYPE} annotation in GVariant text as runc's D-Bus library
 * does, with its messages ({@code dbus: invalid signature: "z" (invalid type character)}). One
 * rule is stricter: a dict's key must be a basic type (runc crashes on {@code @a{vs}}).
 */
final class SignatureCheck {
    private static final int MAX_LENGTH = 255;
    private static final int MAX_DEPTH = 64;
    private static final String BASIC = "ybnqiuxtdsogh";

    private SignatureCheck() {}

    /** Why {@code sig} is not a D-Bus signature, in runc's words; null if it is one (or empty: no type, as runc). */
    static String problem(String sig) {
        if (sig.isEmpty()) {
            return null;
        }
        if (sig.length() > MAX_LENGTH) {
            return message(sig, "too long");
        }
        String rest = sig;
        do {
            Result r = single(rest, 0);
            if (r.error != null) {
                return r.error;
            }
            rest = r.rest;
        } while (!rest.isEmpty());
        return null;
    }

    private record Result(String error, String rest) {
        static Result ok(String rest) {
            return new Result(null, rest);
        }
    }

    private static String message(String sig, String reason) {
        return "dbus: invalid signature: " + GoQuote.of(sig) + " (" + reason + ")";
    }

    private static Result single(String s, int depth) {
        if (s.isEmpty()) {
            return new Result(message(s, "empty signature"), "");
        }
        if (depth > MAX_DEPTH) {
            return new Result(message(s, "container nesting too deep"), "");
        }
        char c = s.charAt(0);
        if (BASIC.indexOf(c) >= 0 || c == 'v') {
            return Result.ok(s.substring(1));
        }
        if (c == 'a' && s.length() > 1 && s.charAt(1) == '{') {
            int close = s.lastIndexOf('}');
            if (close < 0) {
                return new Result(message(s, "unmatched '{'"), "");
            }
            String inner = s.substring(2, close);
            if (inner.isEmpty() || BASIC.indexOf(inner.charAt(0)) < 0) {
                return new Result(inner.isEmpty() ? message(inner, "empty signature") : message(inner, "dict key must be a basic type"), "");
            }
            Result value = single(inner.substring(1), depth + 1);
            if (value.error != null) {
                return value;
            }
            if (!value.rest.isEmpty()) {
                return new Result(message(inner, "too many types in dict"), "");
            }
            return Result.ok(s.substring(close + 1));
        }
        if (c == 'a') {
            return single(s.substring(1), depth + 1);
        }
        if (c == '(') {
            int close = s.lastIndexOf(')');
            if (close < 0) {
                return new Result(message(s, "unmatched ')'"), "");
            }
            String inner = s.substring(1, close);
            while (!inner.isEmpty()) {
                Result r = single(inner, depth + 1);
                if (r.error != null) {
                    return r;
                }
                inner = r.rest;
            }
            return Result.ok(s.substring(close + 1));
        }
        return new Result(message(s, "invalid type character"), "");
    }
}
