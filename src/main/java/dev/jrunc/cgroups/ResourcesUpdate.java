package dev.jrunc.cgroups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Resources;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code update} needs besides the writer: runc's size parsing and merging the new values into the stored ones. */
public final class ResourcesUpdate {
    private ResourcesUpdate() {}

    private static final Pattern SIZE = Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    /**
     * docker's units.RAMInBytes, which runc's update uses for the memory flags: a number with an
     * optional binary suffix (k, m, g, t, p; "kb", "KiB", "m" ...); "-1" means unlimited.
     */
    public static long ramInBytes(String flag, String value) throws JruncException {
        if (value.equals("-1")) {
            return -1;
        }
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new JruncException("invalid value for " + flag + ": invalid size: '" + value + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(3) == null ? "" : m.group(3).toLowerCase(Locale.ROOT);
        long mult = switch (unit) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1;
        };
        return (long) (n * mult);
    }

    /** A flag's unsigned number (strconv.ParseUint in runc). */
    public static long unsigned(String flag, String value) throws JruncException {
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new JruncException("invalid value for " + flag + ": strconv.ParseUint: parsing \"" + value + "\": invalid syntax");
        }
    }

    /** A flag's signed number (strconv.ParseInt in runc). */
    public static long signed(String flag, String value) throws JruncException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new JruncException("invalid value for " + flag + ": strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
        }
    }

    /** The stored resources with every member the update names replaced (objects merged member by member). */
    public static Resources merge(Resources stored, Resources update) {
        if (stored == null) {
            return update;
        }
        JsonNode base = Json.mapper().valueToTree(stored);
        merge((ObjectNode) base, Json.mapper().valueToTree(update));
        try {
            return Json.mapper().treeToValue(base, Resources.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void merge(ObjectNode base, JsonNode update) {
        for (Iterator<Map.Entry<String, JsonNode>> it = update.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = base.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }
}
