package dev.jrunc.spec.validate;

/**
 * One reason a document is refused: {@code pointer} is the RFC 6901 JSON pointer of the offending
 * value (e.g. {@code /process/args}, {@code ""} for the document itself) and {@code message} says
 * what was expected there.
 */
public record Violation(String pointer, String message) implements Comparable<Violation> {

    @Override
    public int compareTo(Violation other) {
        int c = pointer.compareTo(other.pointer);
        return c != 0 ? c : message.compareTo(other.message);
    }

    /** One RFC 6901 reference token: {@code ~} becomes {@code ~0}, {@code /} becomes {@code ~1}. */
    public static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token;
        }
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** As printed by {@code jrunc validate}: {@code /process/args: must be a non-empty array}. */
    @Override
    public String toString() {
        return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
}
