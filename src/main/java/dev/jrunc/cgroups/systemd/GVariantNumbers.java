package dev.jrunc.cgroups.systemd;

import java.math.BigInteger;

/**
 * A GVariant number as the D-Bus type its signature names, converted as runc's library does:
 * {@code 0x} hexadecimal, a leading 0 octal, the sizes of {@code y n q i u x t}, {@code d} a
 * double; the errors in Go's strconv words ({@code strconv.ParseUint: parsing "-1": invalid syntax}).
 */
final class GVariantNumbers {
    private GVariantNumbers() {}

    /** {@code text} as a value of type {@code sig}: a Long for the integers, a Double for {@code d}. */
    static Object as(String text, String sig) throws GVariantException {
        int bits;
        boolean unsigned;
        switch (sig) {
            case "y" -> { bits = 8; unsigned = true; }
            case "n" -> { bits = 16; unsigned = false; }
            case "q" -> { bits = 16; unsigned = true; }
            case "i" -> { bits = 32; unsigned = false; }
            case "u" -> { bits = 32; unsigned = true; }
            case "x" -> { bits = 64; unsigned = false; }
            case "t" -> { bits = 64; unsigned = true; }
            case "d" -> {
                return parseDouble(text);
            }
            default -> throw GVariantException.type(text, sig);
        }
        String digits = text;
        int base = 10;
        if (digits.startsWith("0x")) {
            base = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0") && digits.length() > 1) {
            base = 8;
            digits = digits.substring(1);
        }
        return parseInteger(digits, base, bits, unsigned);
    }

    private static Object parseInteger(String s, int base, int bits, boolean unsigned) throws GVariantException {
        String func = unsigned ? "strconv.ParseUint" : "strconv.ParseInt";
        String body = s;
        boolean negative = false;
        if (!unsigned && !body.isEmpty() && (body.charAt(0) == '+' || body.charAt(0) == '-')) {
            negative = body.charAt(0) == '-';
            body = body.substring(1);
        }
        if (body.isEmpty() || !body.chars().allMatch(c -> c < 0x80 && Character.digit(c, base) >= 0)) {
            throw new GVariantException(func + ": parsing " + GoQuote.of(s) + ": invalid syntax");
        }
        BigInteger v = new BigInteger(body, base);
        if (negative) {
            v = v.negate();
        }
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new GVariantException(func + ": parsing " + GoQuote.of(s) + ": value out of range");
        }
        return v.longValue();
    }

    private static Double parseDouble(String s) throws GVariantException {
        double d;
        try {
            // the lexer gives digits, a sign, a point, an exponent, 0x: never Java's d/f suffixes
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new GVariantException("strconv.ParseFloat: parsing " + GoQuote.of(s) + ": invalid syntax");
        }
        if (Double.isInfinite(d)) {
            throw new GVariantException("strconv.ParseFloat: parsing " + GoQuote.of(s) + ": value out of range");
        }
        return d;
    }
}
