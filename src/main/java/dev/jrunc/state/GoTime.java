package dev.jrunc.state;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Timestamps written as Go's {@code time.RFC3339Nano} writes them (trailing zeros dropped), as runc does.
 *
 * <p>The digits are written by hand: {@code String.format("%09d")} looked up the locale's decimal
 * symbols, and the native image keeps those resource bundles gzip-compressed, so every {@code create}
 * inflated one (found with a breakpoint on zlib's {@code inflateInit2_} in a {@code run}).
 */
public final class GoTime {
    private GoTime() {}

    public static String rfc3339Nano(Instant instant) {
        StringBuilder out = seconds(instant);
        int nanos = instant.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            out.append('.');
            pad(out, nanos, digits);
        }
        return out.append('Z').toString();
    }

    /** Second precision, as runc's log lines carry. */
    public static String rfc3339(Instant instant) {
        return seconds(instant).append('Z').toString();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} in UTC. */
    private static StringBuilder seconds(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(32);
        pad(out, t.getYear(), 4);
        out.append('-');
        pad(out, t.getMonthValue(), 2);
        out.append('-');
        pad(out, t.getDayOfMonth(), 2);
        out.append('T');
        pad(out, t.getHour(), 2);
        out.append(':');
        pad(out, t.getMinute(), 2);
        out.append(':');
        pad(out, t.getSecond(), 2);
        return out;
    }

    /** {@code value} (not negative) in at least {@code width} digits, zeros in front. */
    private static void pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }
}
