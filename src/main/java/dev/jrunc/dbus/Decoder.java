package dev.jrunc.dbus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads D-Bus values by signature from a buffer of either byte order; offsets for alignment
 * count from {@code base} (the start of the message or of its body, both 8-aligned).
 *
 * <p>Java values: y Byte, b Boolean, n Short, q Integer, i Integer, u Long, x/t Long, d Double,
 * s/g String, o {@link ObjectPath}, ay byte[], a* List, (...) List, v {@link Variant}.
 */
final class Decoder {
    private static final int MAX_DEPTH = 32;

    private final ByteBuffer buf;
    private final int base;
    private int depth;

    Decoder(byte[] data, int base, int start, ByteOrder order) {
        this.buf = ByteBuffer.wrap(data).order(order);
        this.base = base;
        this.buf.position(start);
    }

    int position() {
        return buf.position();
    }

    List<Object> readAll(String signature) throws DBusException {
        List<Object> values = new ArrayList<>();
        for (String t : Signature.split(signature)) {
            values.add(read(t));
        }
        return values;
    }

    void align(int n) throws DBusException {
        int pad = (n - (buf.position() - base) % n) % n;
        need(pad);
        buf.position(buf.position() + pad);
    }

    Object read(String type) throws DBusException {
        if (++depth > MAX_DEPTH) {
            throw new DBusException("D-Bus message nested too deeply");
        }
        try {
            char c = type.charAt(0);
            align(Signature.alignment(c));
            return switch (c) {
                case 'y' -> { need(1); yield buf.get(); }
                case 'b' -> { need(4); yield buf.getInt() != 0; }
                case 'n' -> { need(2); yield buf.getShort(); }
                case 'q' -> { need(2); yield buf.getShort() & 0xffff; }
                case 'i' -> { need(4); yield buf.getInt(); }
                case 'u' -> { need(4); yield buf.getInt() & 0xffffffffL; }
                case 'x', 't' -> { need(8); yield buf.getLong(); }
                case 'd' -> { need(8); yield buf.getDouble(); }
                case 's' -> string(u32());
                case 'o' -> new ObjectPath(string(u32()));
                case 'g' -> signature();
                case 'v' -> {
                    String sig = signature();
                    try {
                        Signature.checkSingle(sig);
                    } catch (IllegalArgumentException e) {
                        throw new DBusException("bad variant signature in D-Bus message: " + sig);
                    }
                    yield new Variant(sig, read(sig));
                }
                case '(', '{' -> {
                    List<Object> fields = new ArrayList<>();
                    for (String f : Signature.split(type.substring(1, type.length() - 1))) {
                        fields.add(read(f));
                    }
                    yield fields;
                }
                case 'a' -> array(type.substring(1));
                default -> throw new DBusException("unsupported D-Bus type " + type);
            };
        } finally {
            depth--;
        }
    }

    private Object array(String element) throws DBusException {
        int length = u32();
        align(Signature.alignment(element.charAt(0)));
        need(length);
        int end = buf.position() + length;
        if (element.equals("y")) {
            byte[] b = new byte[length];
            buf.get(b);
            return b;
        }
        List<Object> items = new ArrayList<>();
        while (buf.position() < end) {
            items.add(read(element));
        }
        if (buf.position() != end) {
            throw new DBusException("D-Bus array overruns its length");
        }
        return items;
    }

    private int u32() throws DBusException {
        need(4);
        int n = buf.getInt();
        if (n < 0) {
            throw new DBusException("D-Bus length out of range");
        }
        return n;
    }

    private String string(int length) throws DBusException {
        need(length + 1);
        byte[] b = new byte[length];
        buf.get(b);
        if (buf.get() != 0) {
            throw new DBusException("D-Bus string not NUL-terminated");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private String signature() throws DBusException {
        need(1);
        int length = buf.get() & 0xff;
        return string(length);
    }

    private void need(int n) throws DBusException {
        if (n < 0 || buf.remaining() < n) {
            throw new DBusException("truncated D-Bus message");
        }
    }
}
