package dev.jrunc.cgroups.systemd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The escapes of quoted strings and byte strings. */
final class GVariantEscapes {
    private GVariantEscapes() {}

    static String string(String s) throws GVariantException {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c != '\\') {
                b.appendCodePoint(c);
                continue;
            }
            c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case 'a' -> b.append((char) 7);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case '\n' -> {
                    // a line continuation
                }
                case 'u', 'U' -> {
                    int n = c == 'u' ? 4 : 8;
                    if (s.length() - i < n) {
                        throw new GVariantException("short unicode escape");
                    }
                    String hex = s.substring(i, i + n);
                    long cp = (Long) unsignedHex(hex, 32);
                    b.appendCodePoint(Character.isValidCodePoint((int) cp) && cp <= Character.MAX_CODE_POINT
                            && !(cp >= 0xd800 && cp <= 0xdfff) ? (int) cp : 0xfffd);
                    i += n;
                }
                default -> b.appendCodePoint(c);
            }
        }
        return b.toString();
    }

    static byte[] bytes(String text) throws GVariantException {
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length) {
            byte c = s[i++];
            if (c != '\\') {
                out.write(c);
                continue;
            }
            c = s[i++];
            switch (c) {
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'x', '0' -> {
                    int n = c == 'x' ? 2 : 3;
                    if (s.length - i < n) {
                        throw new GVariantException("short escape");
                    }
                    String digits = new String(s, i, n, StandardCharsets.ISO_8859_1);
                    out.write((int) (long) (c == 'x' ? unsignedHex(digits, 8) : unsigned(digits, 8, 8)));
                    i += n;
                }
                default -> out.write(c);
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    private static Object unsignedHex(String digits, int bits) throws GVariantException {
        return unsigned(digits, 16, bits);
    }

    private static Object unsigned(String digits, int base, int bits) throws GVariantException {
        String q = GoQuote.of(digits);
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch < 0x80 && Character.digit(ch, base) >= 0)) {
            throw new GVariantException("strconv.ParseUint: parsing " + q + ": invalid syntax");
        }
        long v = Long.parseLong(digits, base);
        if (v >= (1L << bits)) {
            throw new GVariantException("strconv.ParseUint: parsing " + q + ": value out of range");
        }
        return v;
    }
}
