package dev.jrunc.dbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarshalTest {
    /**
     * StartTransientUnit as GDBus (gdbus call) puts it on the wire, captured from a fake peer:
     * {@code "jrunc-x.scope" "replace" [('Description', <'libcontainer container x'>),
     * ('Delegate', <true>), ('PIDs', <[uint32 42]>), ('MemoryMax', <uint64 1048576>),
     * ('AllowedCPUs', <[byte 0x3]>)] @a(sa(sv)) []}, serial 3.
     */
    static final byte[] GDBUS_START = HexFormat.of().parseHex(
            "6c010001d000000003000000b300000001016f00190000002f6f72672f667265656465736b746f702f73797374656d64310000000000000002017300200000006f72672e667265656465736b746f702e73797374656d64312e4d616e61676572000000000000000006017300180000006f72672e667265656465736b746f702e73797374656d64310000000000000000080167001073736128737629612873612873762929000000030173001200000053746172745472616e7369656e74556e69740000000000000d0000006a72756e632d782e73636f7065000000070000007265706c61636500a1000000000000000b0000004465736372697074696f6e0001730000180000006c6962636f6e7461696e657220636f6e7461696e6572207800000000000000000800000044656c656761746500016200010000000000000004000000504944730002617500000000040000002a000000090000004d656d6f72794d6178000174000000000000000000001000000000000b000000416c6c6f776564435055730002617900010000000300000000000000");

    static final List<Object> START_ARGS = List.of("jrunc-x.scope", "replace", List.of(
            List.of("Description", new Variant("s", "libcontainer container x")),
            List.of("Delegate", new Variant("b", true)),
            List.of("PIDs", new Variant("au", List.of(42L))),
            List.of("MemoryMax", new Variant("t", 1048576L)),
            List.of("AllowedCPUs", new Variant("ay", new byte[] {3}))), List.of());

    @Test
    void decodesWhatGdbusSends() throws DBusException {
        Message m = Message.decode(GDBUS_START);
        assertEquals(Message.METHOD_CALL, m.type());
        assertEquals(3, m.serial());
        assertEquals("/org/freedesktop/systemd1", m.path());
        assertEquals("org.freedesktop.systemd1.Manager", m.iface());
        assertEquals("StartTransientUnit", m.member());
        assertEquals("org.freedesktop.systemd1", m.destination());
        assertEquals("ssa(sv)a(sa(sv))", m.signature());
        assertEquals("jrunc-x.scope", m.body().get(0));
        assertEquals("replace", m.body().get(1));
        List<?> props = (List<?>) m.body().get(2);
        assertEquals(List.of("PIDs", new Variant("au", List.of(42L))), props.get(2));
        assertEquals(List.of("MemoryMax", new Variant("t", 1048576L)), props.get(3));
        Variant cpus = (Variant) ((List<?>) props.get(4)).get(1);
        assertArrayEquals(new byte[] {3}, (byte[]) cpus.value());
        assertEquals(List.of(), m.body().get(3));
    }

    @Test
    void encodesTheSameBodyAsGdbus() {
        Encoder e = new Encoder();
        e.writeAll("ssa(sv)a(sa(sv))", START_ARGS);
        // the body starts after the 16-byte fixed header and the fields array padded to 8
        int fields = GDBUS_START[12] & 0xff;
        int bodyStart = 16 + ((fields + 7) & ~7);
        assertArrayEquals(Arrays.copyOfRange(GDBUS_START, bodyStart, GDBUS_START.length), e.bytes());
    }

    @Test
    void helloByTheSpecification() throws DBusException {
        // hand-derived from the specification: 'l', METHOD_CALL, flags 0, version 1, body 0, serial 1,
        // fields (PATH o, INTERFACE s, MEMBER s, DESTINATION s), each field 8-aligned
        String hex = "6c010001" + "00000000" + "01000000" + "6d000000"
                + "01016f00" + "15000000" + hexOf("/org/freedesktop/DBus") + "00" + "0000"
                + "02017300" + "14000000" + hexOf("org.freedesktop.DBus") + "00" + "000000"
                + "03017300" + "05000000" + hexOf("Hello") + "00" + "0000"
                + "06017300" + "14000000" + hexOf("org.freedesktop.DBus") + "00";
        byte[] expected = HexFormat.of().parseHex(hex + "000000");
        Message hello = Message.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", "")
                .withSerial(1);
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(hello.encode()));
        assertEquals(hello, Message.decode(expected));
    }

    @Test
    void roundTripsEveryTypeSystemdNeeds() throws DBusException {
        String sig = "sobuitxasauaya(sv)va(sa(sv))";
        List<Object> values = List.of("s", new ObjectPath("/o"), true, 4294967295L, -7, -1L,
                Long.MIN_VALUE, List.of("a", "bc"), List.of(1L, 2L), new byte[] {1, 2, 3},
                List.of(List.of("k", new Variant("t", 5L))), new Variant("as", List.of("x")),
                List.of(List.of("n", List.of(List.of("p", new Variant("i", -1))))));
        Message m = new Message(Message.METHOD_RETURN, 0, 9, null, null, null, null, 8, ":1.1", null, sig, values);
        Message back = Message.decode(m.encode());
        assertEquals(9, back.serial());
        assertEquals(8, back.replySerial());
        assertEquals(sig, back.signature());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) back.body().get(i));
            } else {
                assertEquals(values.get(i), back.body().get(i), "value " + i);
            }
        }
    }

    @Test
    void propertiesChangedWithItsDictionary() throws DBusException {
        // what systemd sends every subscriber on its private socket: sa{sv}as
        List<Object> changed = List.of(List.of("ActiveState", new Variant("s", "active")),
                List.of("Job", new Variant("(uo)", List.of(3L, new ObjectPath("/")))));
        Message m = new Message(Message.SIGNAL, 0, 5, "/org/freedesktop/systemd1/unit/x", "org.freedesktop.DBus.Properties",
                "PropertiesChanged", null, 0, null, null, "sa{sv}as",
                List.of("org.freedesktop.systemd1.Unit", changed, List.of("X")));
        Message back = Message.decode(m.encode());
        assertEquals(m.body(), back.body());
        // a{sv} entries are 8-aligned: "ActiveState" key starts at offset 8 of the array
        Encoder e = new Encoder();
        e.write("a{sv}", List.of(List.of("k", new Variant("b", true))));
        assertEquals("1000000000000000" + "01000000" + "6b00" + "0162" + "00" + "000000" + "01000000",
                HexFormat.of().formatHex(e.bytes()));
    }

    @Test
    void aSignalWithABodyJruncCannotReadKeepsTheStreamInStep() throws DBusException {
        // a fd (h) in a signal: skipped with an empty body; in a reply it is an error
        Message sig = new Message(Message.SIGNAL, 0, 5, "/p", "i.I", "S", null, 0, null, null, "u", List.of(7L));
        byte[] bytes = sig.encode();
        // rewrite the signature field 'u' to 'h' (same size)
        for (int i = 16; i < bytes.length; i++) {
            if (bytes[i] == 8 && bytes[i + 1] == 1 && bytes[i + 2] == 'g' && bytes[i + 5] == 'u') {
                bytes[i + 5] = 'h';
            }
        }
        Message back = Message.decode(bytes);
        assertEquals("h", back.signature());
        assertEquals(List.of(), back.body());
        bytes[1] = Message.METHOD_RETURN;
        assertThrows(DBusException.class, () -> Message.decode(bytes));
    }

    @Test
    void refusesTruncatedAndOversizedMessages() {
        byte[] cut = Arrays.copyOf(GDBUS_START, GDBUS_START.length - 3);
        assertThrows(DBusException.class, () -> Message.decode(cut));
        byte[] huge = Arrays.copyOf(GDBUS_START, 16);
        huge[4] = (byte) 0xff;
        huge[5] = (byte) 0xff;
        huge[6] = (byte) 0xff;
        huge[7] = (byte) 0x7f;
        assertThrows(DBusException.class, () -> Message.totalSize(huge));
        byte[] badOrder = GDBUS_START.clone();
        badOrder[0] = 'x';
        assertThrows(DBusException.class, () -> Message.decode(badOrder));
    }

    private static String hexOf(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
