package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.path.NodePath;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns a networknt {@link Error} into a {@link Violation}: the pointer names the offending value
 * (for a missing or unexpected property, the property itself) and the message says what was
 * expected, in our words rather than networknt's (which also spares loading its message bundle).
 */
final class Messages {

    /** Enumerations up to this size are listed in full. */
    static final int FULL_LIST_MAX = 10;
    /** Longer ones are shown by their first few values. */
    static final int SHORT_LIST = 4;
    /** Quoted strings longer than this are cut. */
    static final int MAX_SHOWN_CHARS = 60;

    private Messages() {
    }

    static Violation toViolation(Error e, SchemaRegistry registry) {
        String at = SchemaValidator.pointer(e.getInstanceLocation());
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        JsonNode instance = e.getInstanceNode();
        JsonNode expected = e.getSchemaNode();
        String property = e.getProperty();
        return switch (keyword) {
            case "required" -> new Violation(child(at, property), "required property is missing");
            // networknt: property = the member present, argument 0 = the one missing
            case "dependentRequired" -> new Violation(child(at, String.valueOf(arg(e, 0))),
                    "required property is missing (needed when " + quote(String.valueOf(arg(e, 1))) + " is present)");
            case "additionalProperties", "unevaluatedProperties" ->
                    new Violation(child(at, property), unknownProperty(e, registry));
            case "type" -> new Violation(at, typeMessage(expected, instance));
            case "enum" -> new Violation(at, seccompName(at, instance) != null ? seccompName(at, instance) : enumMessage(expected, instance));
            case "const" -> new Violation(at, "must be " + show(expected) + found(instance));
            case "minimum" -> new Violation(at, "must be at least " + expected.asText() + found(instance));
            case "maximum" -> new Violation(at, "must be at most " + expected.asText() + found(instance));
            case "exclusiveMinimum" -> new Violation(at, "must be greater than " + expected.asText() + found(instance));
            case "exclusiveMaximum" -> new Violation(at, "must be less than " + expected.asText() + found(instance));
            case "multipleOf" -> new Violation(at, "must be a multiple of " + expected.asText() + found(instance));
            case "pattern" -> new Violation(at, "must match the regular expression " + expected.asText() + found(instance));
            case "minLength" -> new Violation(at, "must be at least " + count(expected, "character") + " long");
            case "maxLength" -> new Violation(at, "must be at most " + count(expected, "character") + " long");
            case "minItems" -> new Violation(at, "must have at least " + count(expected, "item") + size(instance));
            case "maxItems" -> new Violation(at, "must have at most " + count(expected, "item") + size(instance));
            case "minProperties" -> new Violation(at, "must have at least " + count(expected, "property", "properties"));
            case "maxProperties" -> new Violation(at, "must have at most " + count(expected, "property", "properties"));
            case "uniqueItems" -> new Violation(at, "must not contain the same item twice");
            case "false" -> new Violation(at, "no value is allowed here");
            case "anyOf" -> new Violation(at, "must match at least one of the allowed forms");
            case "oneOf" -> new Violation(at, "must match exactly one of the allowed forms");
            case "not" -> new Violation(at, "must not match the excluded form");
            default -> new Violation(at, e.getMessage());
        };
    }

    /**
     * runc's words for an unknown seccomp action, architecture or operator ("string X is not a
     * valid action for seccomp"); null for any other value.
     */
    static String seccompName(String at, JsonNode instance) {
        if (instance == null || !instance.isTextual() || !at.startsWith("/linux/seccomp/")) {
            return null;
        }
        String kind;
        if (at.equals("/linux/seccomp/defaultAction") || at.matches("/linux/seccomp/syscalls/\\d+/action")) {
            kind = "action";
        } else if (at.matches("/linux/seccomp/architectures/\\d+")) {
            kind = "arch";
        } else if (at.matches("/linux/seccomp/syscalls/\\d+/args/\\d+/op")) {
            kind = "operator";
        } else {
            return null;
        }
        return "string " + instance.asText() + " is not a valid " + kind + " for seccomp";
    }

    static String child(String pointer, String property) {
        return property == null ? pointer : pointer + "/" + Violation.escape(property);
    }

    private static Object arg(Error e, int i) {
        Object[] args = e.getArguments();
        return args != null && args.length > i ? args[i] : "";
    }

    /** "must be an array, not a string"; for integers written as 1.0 or 1e3 it says why. */
    static String typeMessage(JsonNode expected, JsonNode instance) {
        String want = expectedTypes(expected);
        if (instance != null && IntegerLiteralType.isNonIntegralLiteral(instance) && mentions(expected, "integer")) {
            return "must be " + want + ", not " + instance
                    + " (write integers without a fraction or an exponent)";
        }
        return "must be " + want + ", not " + kindOf(instance);
    }

    private static boolean mentions(JsonNode expected, String type) {
        if (expected == null) {
            return false;
        }
        if (expected.isArray()) {
            for (JsonNode t : expected) {
                if (type.equals(t.asText())) {
                    return true;
                }
            }
            return false;
        }
        return type.equals(expected.asText());
    }

    static String expectedTypes(JsonNode expected) {
        if (expected == null) {
            return "of another type";
        }
        if (!expected.isArray()) {
            return withArticle(expected.asText());
        }
        List<String> names = new ArrayList<>();
        expected.forEach(t -> names.add(withArticle(t.asText())));
        return String.join(" or ", names);
    }

    private static String withArticle(String type) {
        return switch (type) {
            case "array", "object", "integer" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    /** What kind of JSON value this is, with an article: "a string", "an array", "null". */
    static String kindOf(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isIntegralNumber()) {
            return "an integer";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** "must be one of "a", "b"; found "c"", or for a long list its size and first values. */
    static String enumMessage(JsonNode allowed, JsonNode instance) {
        if (allowed == null || !allowed.isArray()) {
            return "is not an allowed value" + found(instance);
        }
        List<String> values = new ArrayList<>();
        allowed.forEach(v -> values.add(show(v)));
        String list;
        if (values.size() <= FULL_LIST_MAX) {
            list = values.size() == 1 ? values.get(0) : "one of " + String.join(", ", values);
        } else {
            list = "one of the " + values.size() + " allowed values ("
                    + String.join(", ", values.subList(0, SHORT_LIST)) + ", ...)";
        }
        return "must be " + list + found(instance);
    }

    private static String unknownProperty(Error e, SchemaRegistry registry) {
        List<String> allowed = declaredProperties(e, registry);
        if (allowed == null) {
            return "property is not allowed here";
        }
        if (allowed.isEmpty()) {
            return "property is not allowed here (no properties are allowed)";
        }
        if (allowed.size() <= FULL_LIST_MAX) {
            return "property is not allowed here (allowed: " + String.join(", ", allowed) + ")";
        }
        return "property is not allowed here (" + allowed.size() + " allowed, e.g. "
                + String.join(", ", allowed.subList(0, SHORT_LIST)) + ")";
    }

    /** The "properties" declared beside the failing keyword, or null if they cannot be found. */
    private static List<String> declaredProperties(Error e, SchemaRegistry registry) {
        try {
            SchemaLocation loc = e.getSchemaLocation();
            NodePath fragment = loc == null ? null : loc.getFragment();
            if (fragment == null || fragment.getNameCount() == 0) {
                return null;
            }
            Schema parent = registry.getSchema(new SchemaLocation(loc.getAbsoluteIri(), fragment.getParent()));
            JsonNode props = parent.getSchemaNode().path("properties");
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            return names;
        } catch (RuntimeException ex) {
            return null;
        }
    }

    static String found(JsonNode instance) {
        return instance == null || instance.isMissingNode() ? "" : "; found " + show(instance);
    }

    private static String size(JsonNode instance) {
        return instance != null && instance.isArray() ? "; found " + instance.size() : "";
    }

    /** A value as JSON text, long strings cut; containers by kind only. */
    static String show(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        if (n.isTextual()) {
            String s = n.asText();
            return quote(s.length() > MAX_SHOWN_CHARS ? s.substring(0, MAX_SHOWN_CHARS) + "..." : s);
        }
        if (n.isContainerNode()) {
            return kindOf(n);
        }
        return n.toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String count(JsonNode n, String singular) {
        return count(n, singular, singular + "s");
    }

    private static String count(JsonNode n, String singular, String plural) {
        String v = n == null ? "?" : n.asText();
        return v + " " + ("1".equals(v) ? singular : plural);
    }
}
