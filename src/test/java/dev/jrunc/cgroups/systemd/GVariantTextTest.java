package dev.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.dbus.Message;
import dev.jrunc.dbus.Variant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The GVariant text runc accepts, and its refusals in runc's words (checked against runc 1.1.5's). */
class GVariantTextTest {
    private static Variant parse(String text) throws GVariantException {
        return GVariantText.parse(text);
    }

    private static String error(String text) {
        return assertThrows(GVariantException.class, () -> parse(text)).getMessage();
    }

    @Test
    void numbersTakeTheirTypeOrAreInt32OrDouble() throws GVariantException {
        assertEquals(new Variant("i", 5L), parse("5"));
        assertEquals(new Variant("i", -5L), parse("-5"));
        assertEquals(new Variant("d", 1.5), parse("1.5"));
        assertEquals(new Variant("d", 1000.0), parse("1e3"));
        assertEquals(new Variant("t", 123456789L), parse("uint64 123456789"));
        assertEquals(new Variant("t", 5L), parse("@t 5"));
        assertEquals(new Variant("t", -1L), parse("@t 18446744073709551615"));
        assertEquals(new Variant("x", Long.MIN_VALUE), parse("int64 -9223372036854775808"));
        assertEquals(new Variant("y", 255L), parse("byte 0xff"));
        assertEquals(new Variant("y", 255L), parse("@y 0377"));
        assertEquals(new Variant("y", 0L), parse("@y 0"));
        assertEquals(new Variant("q", 65535L), parse("uint16 65535"));
        assertEquals(new Variant("n", -32768L), parse("int16 -32768"));
        assertEquals(new Variant("u", 4294967295L), parse("uint32 4294967295"));
        assertEquals(new Variant("d", 1.0), parse("@d 1"));
    }

    @Test
    void stringsBooleansBytes() throws GVariantException {
        assertEquals(new Variant("s", "inactive-or-failed"), parse("'inactive-or-failed'"));
        assertEquals(new Variant("s", "a \"b\"\n\u00e9"), parse("\"a \\\"b\\\"\\n\\u00e9\""));
        assertEquals(new Variant("o", "/a/b"), parse("objectpath \"/a/b\""));
        assertEquals(new Variant("g", "as"), parse("signature 'as'"));
        assertEquals(new Variant("b", true), parse("true"));
        assertEquals(new Variant("b", false), parse("false"));
        assertEquals(new Variant("b", false), parse("boolean false"));
        Variant b = parse("b'a\\x41\\0101'");
        assertEquals("ay", b.signature());
        assertArrayEquals(new byte[] {'a', 'A', 'A', 0}, (byte[]) b.value());
    }

    @Test
    void arraysDictsVariants() throws GVariantException {
        assertEquals(new Variant("ai", List.of(1L, 2L)), parse("[1, 2]"));
        assertEquals(new Variant("at", List.of(1L, 2L)), parse("[1, uint64 2]"));
        assertEquals(new Variant("at", List.of(1L, 2L)), parse("@at [1,2]"));
        assertEquals(new Variant("as", List.of("a", "b")), parse("['a', \"b\"]"));
        assertEquals(new Variant("as", List.of()), parse("@as []"));
        assertEquals(new Variant("a{si}", List.of(List.of("a", 1L))), parse("{'a': 1}"));
        assertEquals(new Variant("a{st}", List.of()), parse("@a{st} {}"));
        assertEquals(new Variant("v", new Variant("s", "x")), parse("<'x'>"));
        assertEquals(new Variant("av", List.of(new Variant("i", 1L), new Variant("s", "x"))), parse("[<1>, <'x'>]"));
    }

    @Test
    void onlyTheFirstValueIsReadAsRunc() throws GVariantException {
        assertEquals(new Variant("i", 5L), parse("5 garbage"));
        assertEquals(new Variant("i", 7L), parse("  7"));
        assertEquals(new Variant("b", true), parse("true false"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``| unexpected EOF",
        "uint64| unexpected EOF",
        "@| unexpected EOF",
        "12x| bad number syntax: \"12x\"",
        "@y 0xg| bad number syntax: \"0xg\"",
        "double 1.5| dbus: can't parse \"1.5\" as type \"f\"",
        "uint64 \"5\"| invalid type \"t\" for string",
        "@q 70000| strconv.ParseUint: parsing \"70000\": value out of range",
        "@y 0x100| strconv.ParseUint: parsing \"100\": value out of range",
        "@y 0400| strconv.ParseUint: parsing \"400\": value out of range",
        "@y 0x| strconv.ParseUint: parsing \"\": invalid syntax",
        "@y +5| strconv.ParseUint: parsing \"+5\": invalid syntax",
        "uint64 -1| strconv.ParseUint: parsing \"-1\": invalid syntax",
        "-| strconv.ParseInt: parsing \"-\": invalid syntax",
        "[]| can't infer type for \"[]\"",
        "{}| can't infer type for \"{}\"",
        "@xx 1| dbus: can't parse \"1\" as type \"xx\"",
        "string 5| dbus: can't parse \"5\" as type \"s\"",
        "@v 1| dbus: can't parse \"1\" as type \"v\"",
        "@(i) 1| dbus: can't parse \"1\" as type \"(i)\"",
        "@s b\"ab\"| dbus: can't parse \"b\\\"ab\\\"\" as type \"s\"",
        "nope| unrecognized type \"nope\"",
        "(1, 2)| unrecognized type \"(1,\"",
        "[1, \"a\"]| can't parse \"a\" with given type information",
        "[int32 1, uint64 2]| can't parse \"\" with given type information",
        "<1| unexpected \"\"",
        "{1: 2| unexpected EOF",
        "\"abc| unterminated string",
        "b\"ab| unterminated bytestring",
        "@s @s \"a\"| unexpected type annotation",
        "@a 1| dbus: invalid signature: \"\" (empty signature)",
        "@z 1| dbus: invalid signature: \"z\" (invalid type character)",
        "@a{s} {}| dbus: invalid signature: \"\" (empty signature)",
        "@a{vs} {}| dbus: invalid signature: \"vs\" (dict key must be a basic type)",
        "]| unexpected \"]\"",
        ":| unexpected \":\"",
        "{'a': 1, 2: 3}| can't parse \"2\" with given type information",
        "@as {}| invalid signature \"as\" for dict type",
        "\"\\u00zz\"| strconv.ParseUint: parsing \"00zz\": invalid syntax",
        "b'\\0999'| strconv.ParseUint: parsing \"999\": invalid syntax",
        "[1 2]| unexpected \"2\"",
        "{1: 2 3}| unexpected \"3\"",
        "1e400| strconv.ParseFloat: parsing \"1e400\": value out of range",
        "@x -0x10| strconv.ParseInt: parsing \"-0x10\": invalid syntax",
        "@n 0x8000| strconv.ParseInt: parsing \"8000\": value out of range",
    })
    void refusedInRuncsWords(String text, String message) {
        assertEquals(message.strip(), error(text));
    }

    @Test
    void aNonAsciiDigitIsNoNumber() {
        // runc's lexer loops forever on one; here it is an unknown type word
        assertEquals("unrecognized type \"\u0663\"", error("\u0663"));
    }

    @Test
    void deepNestingIsRefusedNotACrash() throws GVariantException {
        assertEquals("container nesting too deep", error("[".repeat(100_000) + "1"));
        assertEquals("ai", parse("[".repeat(10) + "1" + "]".repeat(10)).signature().substring(9));
    }

    @Test
    void whatCannotBeSentIsRefused() {
        assertFalse(error("@ah []").isEmpty());
    }

    @Test
    void everyParsedFormMarshals() throws Exception {
        for (String text : List.of("5", "1.5", "uint64 1", "@y 1", "@n -1", "@q 1", "@u 1", "@x 1", "'s'", "objectpath '/a'",
                "signature 'as'", "true", "b'x'", "[1, 2]", "['a']", "{'a': <1>}", "<[true]>")) {
            Variant v = parse(text);
            Message m = Message.call("d", "/p", "i", "m", "v", v);
            Message back = Message.decode(m.encode());
            assertEquals("v", back.signature(), text);
            assertEquals(v.signature(), ((Variant) back.body().get(0)).signature(), text);
        }
    }
}
