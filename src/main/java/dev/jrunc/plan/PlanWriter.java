package dev.jrunc.plan;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes a plan (see {@code src/main/c/init/PLAN.md}): little-endian, length-prefixed.
 *
 * <pre>
 * header: "JRPL" u16 version u16 flags(0) u32 opCount u32 bodyLength
 * op:     u16 opcode u16 argc u32 argsLength, then argc args
 * arg:    u8 type u32 length, then length bytes
 *         1 int    8 bytes, two's complement
 *         2 string UTF-8 bytes + one NUL (no other NUL)
 *         3 list   u32 count, then count x (u32 length, string bytes + NUL)
 *         4 blob   raw bytes
 * </pre>
 */
public final class PlanWriter {
    public static final byte[] MAGIC = {'J', 'R', 'P', 'L'};
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 16;
    public static final int TYPE_INT = 1;
    public static final int TYPE_STRING = 2;
    public static final int TYPE_LIST = 3;
    public static final int TYPE_BLOB = 4;

    private PlanWriter() {}

    public static byte[] encode(List<? extends Op> ops) {
        Buf body = new Buf();
        for (Op op : ops) {
            OpCode code = op.code();
            Args args = new Args();
            op.write(args);
            if (!args.types.toString().equals(code.signature())) {
                throw new IllegalStateException(code + " wrote arguments '" + args.types + "', signature is '" + code.signature() + "'");
            }
            body.u16(code.code()).u16(args.types.length()).u32(args.out.size()).bytes(args.out);
        }
        Buf plan = new Buf();
        plan.bytes(MAGIC).u16(VERSION).u16(0).u32(ops.size()).u32(body.size()).bytes(body);
        return plan.toByteArray();
    }

    /** The arguments of one op, appended in signature order. */
    public static final class Args {
        private final Buf out = new Buf();
        private final StringBuilder types = new StringBuilder();

        public Args i(long value) {
            types.append('i');
            out.u8(TYPE_INT).u32(8).u64(value);
            return this;
        }

        public Args s(String value) {
            types.append('s');
            byte[] bytes = cString(value);
            out.u8(TYPE_STRING).u32(bytes.length).bytes(bytes);
            return this;
        }

        public Args l(List<String> values) {
            types.append('l');
            Buf list = new Buf();
            list.u32(values.size());
            for (String v : values) {
                byte[] bytes = cString(v);
                list.u32(bytes.length).bytes(bytes);
            }
            out.u8(TYPE_LIST).u32(list.size()).bytes(list);
            return this;
        }

        public Args b(byte[] blob) {
            types.append('b');
            out.u8(TYPE_BLOB).u32(blob.length).bytes(blob);
            return this;
        }
    }

    private static byte[] cString(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("string contains a NUL byte: " + value.replace("\0", "\\0"));
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, bytes, 0, utf8.length);
        return bytes;
    }

    /**
     * A growable little-endian byte buffer. Not a ByteArrayOutputStream: its every write is a
     * synchronized call, and a plan is written a byte at a time (monitor enter and exit were a
     * fifth of the encoder's time in perf of a native `run`).
     */
    private static final class Buf {
        private byte[] buf = new byte[256];
        private int count;

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        int size() {
            return count;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, count);
        }

        Buf u8(int v) {
            ensure(1);
            buf[count++] = (byte) v;
            return this;
        }

        Buf u16(int v) {
            ensure(2);
            buf[count++] = (byte) v;
            buf[count++] = (byte) (v >>> 8);
            return this;
        }

        Buf u32(long v) {
            ensure(4);
            for (int k = 0; k < 4; k++) {
                buf[count++] = (byte) (v >>> (8 * k));
            }
            return this;
        }

        Buf u64(long v) {
            ensure(8);
            for (int k = 0; k < 8; k++) {
                buf[count++] = (byte) (v >>> (8 * k));
            }
            return this;
        }

        Buf bytes(byte[] b) {
            return bytes(b, b.length);
        }

        Buf bytes(byte[] b, int length) {
            ensure(length);
            System.arraycopy(b, 0, buf, count, length);
            count += length;
            return this;
        }

        /** Appends what {@code other} holds, without a copy of it first. */
        Buf bytes(Buf other) {
            return bytes(other.buf, other.count);
        }
    }
}
