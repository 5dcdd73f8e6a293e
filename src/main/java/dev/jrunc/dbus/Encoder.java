package dev.jrunc.dbus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Little-endian D-Bus marshalling of values by signature. Offsets (for alignment) count from
 * the start of this encoder, which must itself sit at an 8-aligned place in the message (the
 * header starts at 0, the body after the header's padding to 8).
 *
 * <p>Java values: y Byte, b Boolean, n/q Number, i/u Number (u as unsigned 32 bits), x/t Long,
 * d Double, s/g String, o {@link ObjectPath} or String, ay byte[] or List, a* List,
 * (...) List, v {@link Variant}.
 */
final class Encoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    void align(int n) {
        while (out.size() % n != 0) {
            out.write(0);
        }
    }

    void writeAll(String signature, List<?> values) {
        List<String> types = Signature.split(signature);
        if (types.size() != values.size()) {
            throw new IllegalArgumentException("signature " + signature + " wants " + types.size() + " values, got " + values.size());
        }
        for (int i = 0; i < types.size(); i++) {
            write(types.get(i), values.get(i));
        }
    }

    void write(String type, Object value) {
        char c = type.charAt(0);
        align(Signature.alignment(c));
        switch (c) {
            case 'y' -> out.write(((Number) value).intValue());
            case 'b' -> u32(((Boolean) value) ? 1 : 0);
            case 'n', 'q' -> le(((Number) value).longValue(), 2);
            case 'i', 'u' -> u32(((Number) value).longValue());
            case 'x', 't' -> le(((Number) value).longValue(), 8);
            case 'd' -> le(Double.doubleToRawLongBits((Double) value), 8);
            case 's', 'o' -> string(value.toString());
            case 'g' -> signature((String) value);
            case 'v' -> {
                Variant v = (Variant) value;
                signature(v.signature());
                write(v.signature(), v.value());
            }
            case '(', '{' -> {
                List<String> fields = Signature.split(type.substring(1, type.length() - 1));
                List<?> values = (List<?>) value;
                if (fields.size() != values.size()) {
                    throw new IllegalArgumentException("struct " + type + " wants " + fields.size() + " values, got " + values.size());
                }
                for (int i = 0; i < fields.size(); i++) {
                    write(fields.get(i), values.get(i));
                }
            }
            case 'a' -> array(type.substring(1), value);
            default -> throw new IllegalArgumentException("unsupported type " + type);
        }
    }

    private void array(String element, Object value) {
        int lengthAt = out.size();
        u32(0);
        align(Signature.alignment(element.charAt(0)));
        int start = out.size();
        if (value instanceof byte[] b && element.equals("y")) {
            out.writeBytes(b);
        } else {
            for (Object e : (List<?>) value) {
                write(element, e);
            }
        }
        patch(lengthAt, out.size() - start);
    }

    private void patch(int at, int n) {
        byte[] all = out.toByteArray();
        for (int i = 0; i < 4; i++) {
            all[at + i] = (byte) (n >>> (8 * i));
        }
        out.reset();
        out.writeBytes(all);
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        out.writeBytes(b);
        out.write(0);
    }

    private void signature(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.writeBytes(b);
        out.write(0);
    }

    private void u32(long v) {
        le(v, 4);
    }

    private void le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
