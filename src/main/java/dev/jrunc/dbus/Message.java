package dev.jrunc.dbus;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One D-Bus message: its header fields and its body, marshalled (always little-endian) and
 * parsed (either byte order) as the D-Bus specification's "Message Format" says.
 */
public record Message(int type, int flags, long serial, String path, String iface, String member,
                      String errorName, long replySerial, String destination, String sender,
                      String signature, List<Object> body) {
    public static final int METHOD_CALL = 1;
    public static final int METHOD_RETURN = 2;
    public static final int ERROR = 3;
    public static final int SIGNAL = 4;

    /** Messages over this size are refused (the specification's maximum is 128 MiB). */
    static final int MAX_SIZE = 1 << 24;

    public Message {
        signature = signature == null ? "" : signature;
        body = body == null ? List.of() : List.copyOf(body);
    }

    public static Message call(String destination, String path, String iface, String member, String signature,
                               Object... args) {
        return new Message(METHOD_CALL, 0, 0, path, iface, member, null, 0, destination, null, signature,
                List.of(args));
    }

    public Message withSerial(long s) {
        return new Message(type, flags, s, path, iface, member, errorName, replySerial, destination, sender,
                signature, body);
    }

    /** The wire form of this message. */
    public byte[] encode() {
        Encoder b = new Encoder();
        b.writeAll(signature, body);
        byte[] bodyBytes = b.bytes();
        List<List<Object>> fields = new ArrayList<>();
        field(fields, 1, path == null ? null : new Variant("o", new ObjectPath(path)));
        field(fields, 2, iface == null ? null : new Variant("s", iface));
        field(fields, 3, member == null ? null : new Variant("s", member));
        field(fields, 4, errorName == null ? null : new Variant("s", errorName));
        field(fields, 5, replySerial == 0 ? null : new Variant("u", replySerial));
        field(fields, 6, destination == null ? null : new Variant("s", destination));
        field(fields, 7, sender == null ? null : new Variant("s", sender));
        field(fields, 8, signature.isEmpty() ? null : new Variant("g", signature));
        Encoder h = new Encoder();
        h.write("y", (byte) 'l');
        h.write("y", (byte) type);
        h.write("y", (byte) flags);
        h.write("y", (byte) 1);
        h.write("u", bodyBytes.length);
        h.write("u", serial);
        h.write("a(yv)", fields);
        h.align(8);
        byte[] head = h.bytes();
        byte[] all = new byte[head.length + bodyBytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bodyBytes, 0, all, head.length, bodyBytes.length);
        return all;
    }

    private static void field(List<List<Object>> fields, int code, Variant v) {
        if (v != null) {
            fields.add(List.of((byte) code, v));
        }
    }

    /**
     * The total size of the message whose first 16 bytes are {@code head}: header fields array
     * padded to 8, plus the body.
     */
    static int totalSize(byte[] head) throws DBusException {
        ByteOrder order = order(head[0]);
        Decoder d = new Decoder(head, 0, 4, order);
        long bodyLength = (Long) d.read("u");
        d.read("u");
        long fieldsLength = (Long) d.read("u");
        long total = 16 + ((fieldsLength + 7) & ~7L) + bodyLength;
        if (total > MAX_SIZE) {
            throw new DBusException("D-Bus message too large: " + total + " bytes");
        }
        return (int) total;
    }

    /** Parses one whole message. */
    public static Message decode(byte[] data) throws DBusException {
        if (data.length < 16) {
            throw new DBusException("truncated D-Bus message");
        }
        ByteOrder order = order(data[0]);
        if (data[3] != 1) {
            throw new DBusException("unsupported D-Bus protocol version " + data[3]);
        }
        Decoder d = new Decoder(data, 0, 4, order);
        long bodyLength = (Long) d.read("u");
        long serial = (Long) d.read("u");
        @SuppressWarnings("unchecked")
        List<Object> fields = (List<Object>) d.read("a(yv)");
        String path = null, iface = null, member = null, error = null, dest = null, sender = null, sig = "";
        long reply = 0;
        for (Object f : fields) {
            List<?> pair = (List<?>) f;
            int code = (Byte) pair.get(0);
            Object v = ((Variant) pair.get(1)).value();
            switch (code) {
                case 1 -> path = v.toString();
                case 2 -> iface = (String) v;
                case 3 -> member = (String) v;
                case 4 -> error = (String) v;
                case 5 -> reply = (Long) v;
                case 6 -> dest = (String) v;
                case 7 -> sender = (String) v;
                case 8 -> sig = (String) v;
                default -> { } // unknown fields are ignored, as the specification says
            }
        }
        d.align(8);
        int bodyStart = d.position();
        if (bodyStart + bodyLength != data.length) {
            throw new DBusException("D-Bus message length does not match its header");
        }
        List<Object> body;
        try {
            Decoder b = new Decoder(data, bodyStart, bodyStart, order);
            body = b.readAll(sig);
            if (b.position() != data.length) {
                throw new DBusException("D-Bus message body longer than its signature");
            }
        } catch (IllegalArgumentException | ClassCastException | DBusException e) {
            if (data[1] != SIGNAL) {
                throw new DBusException("bad D-Bus message body");
            }
            // a signal jrunc does not read (its length is known: the stream stays in step)
            body = List.of();
        }
        return new Message(data[1], data[2] & 0xff, serial, path, iface, member, error, reply, dest, sender, sig, body);
    }

    private static ByteOrder order(byte b) throws DBusException {
        return switch (b) {
            case 'l' -> ByteOrder.LITTLE_ENDIAN;
            case 'B' -> ByteOrder.BIG_ENDIAN;
            default -> throw new DBusException("bad D-Bus byte order mark");
        };
    }
}
