package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Strings of config.json that hold a NUL byte: every string jrunc hands to the kernel or the init
 * is a C string, which would end at the NUL. runc refuses such a mount ({@code mount field
 * contains null byte}) and an environment entry; jrunc refuses the NUL in any member but the
 * annotations (which only travel as JSON), instead of cutting the string short.
 */
final class NulBytes {
    private NulBytes() {}

    static List<Violation> check(JsonNode tree) {
        List<Violation> out = new ArrayList<>();
        walk(tree, "", out);
        return out;
    }

    private static void walk(JsonNode node, String pointer, List<Violation> out) {
        if (pointer.equals("/annotations")) {
            return;
        }
        if (node.isTextual()) {
            if (node.textValue().indexOf('\0') >= 0) {
                out.add(new Violation(pointer, message(pointer, node.textValue())));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, out);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = pointer + "/" + Violation.escape(e.getKey());
                if (e.getKey().indexOf('\0') >= 0) {
                    out.add(new Violation(child, "member name contains a NUL byte: " + shown(e.getKey())));
                }
                walk(e.getValue(), child, out);
            }
        }
    }

    private static String message(String pointer, String value) {
        if (pointer.startsWith("/mounts/")) {
            return "invalid mount: mount field contains null byte: " + shown(value); // runc's words
        }
        if (pointer.startsWith("/process/env/")) {
            return "environment variable value can't contain null(\\x00): " + shown(value); // runc's words
        }
        return "contains a NUL byte: " + shown(value);
    }

    /** The value quoted with the NUL written {@code \x00}, as runc (Go's %q) shows it. */
    private static String shown(String value) {
        return "\"" + value.replace("\0", "\\x00") + "\"";
    }
}
