package dev.jrunc.cgroups.systemd;

import dev.jrunc.JruncException;
import dev.jrunc.dbus.Variant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * runc's {@code org.systemd.property.NAME} annotations: extra properties of the container's unit
 * (systemd driver only, given when the unit is started; {@code update} does not give them again).
 * NAME is at least 3 ASCII letters; the value is GVariant text ({@link GVariantText}); a NAME
 * ending in a lower-case letter and {@code Sec} is systemd's documented name of a
 * {@code ...USec} property and is given as that, the number (seconds) as microseconds.
 * Errors are runc's: {@code annotation K name incorrect: too short},
 * {@code annotation K=V value parse error: ...}.
 */
public final class SystemdAnnotations {
    static final String PREFIX = "org.systemd.property.";
    private static final int MIN_NAME = 3;
    private static final long MICROS = 1_000_000L;

    private SystemdAnnotations() {}

    /** The unit properties the annotations ask for, in the order of their keys. */
    public static List<Property> properties(Map<String, String> annotations) throws JruncException {
        List<Property> out = new ArrayList<>();
        if (annotations == null) {
            return out;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String name = key.substring(PREFIX.length());
            String bad = nameProblem(name);
            if (bad != null) {
                throw new JruncException("annotation " + key + " name incorrect: " + bad);
            }
            String text = e.getValue() == null ? "" : e.getValue();
            try {
                Variant value = GVariantText.parse(text);
                if (secondsName(name)) {
                    name = name.substring(0, name.length() - "Sec".length()) + "USec";
                    value = micros(value);
                }
                out.add(new Property(name, value));
            } catch (GVariantException ex) {
                throw new JruncException("annotation " + key + "=" + text + " value parse error: " + ex.getMessage());
            }
        }
        return out;
    }

    /** runc's checkPropertyName: why {@code name} is refused, null if it is not. */
    static String nameProblem(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length < MIN_NAME) {
            return "too short";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
                return "contains non-alphabetic character";
            }
        }
        return null;
    }

    /** {@code TimeoutStopSec}, not {@code TimeoutStopUSec} nor {@code Sec}: a lower-case letter before {@code Sec}. */
    static boolean secondsName(String name) {
        int n = name.length();
        if (n < 4 || !name.endsWith("Sec")) {
            return false;
        }
        char before = name.charAt(n - 4);
        return before >= 'a' && before <= 'z';
    }

    /** A number of seconds as the uint64 of microseconds (wrapping as runc's conversion does), else "not a number". */
    static Variant micros(Variant seconds) throws GVariantException {
        Object v = seconds.value();
        long us = switch (seconds.signature()) {
            case "y", "n", "q", "i", "u", "x", "t" -> ((Number) v).longValue() * MICROS;
            case "d" -> unsigned((Double) v * MICROS);
            default -> throw new GVariantException("not a number");
        };
        return new Variant("t", us);
    }

    /** A non-negative double as the bits of a uint64 (Go's conversion; beyond 2^64 it has no defined value). */
    private static long unsigned(double d) {
        double twoTo63 = 0x1p63;
        return d < twoTo63 ? (long) d : (long) (d - twoTo63) + Long.MIN_VALUE;
    }
}
