package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanWriterTest {

    @Test
    void encodesTheDocumentedLayout() {
        byte[] plan = PlanWriter.encode(List.of(
                new Op.SetHostname("ab"),
                new Op.Umask(0022),
                new Op.Exec(List.of("sh"), List.of())));
        String expected = String.join("",
                "4a52504c", "0100", "0000", "03000000", "46000000",          // "JRPL" v1 flags=0 3 ops, 70-byte body
                "0600", "0100", "08000000", "02", "03000000", "616200",        // sethostname: string "ab\0"
                "2600", "0100", "0d000000", "01", "08000000", "1200000000000000", // umask: int 0o22
                "2b00", "0200", "19000000",                                     // exec: 2 args, 25 bytes
                "03", "0b000000", "01000000", "03000000", "736800",          // list ["sh"]
                "03", "04000000", "00000000");                                 // list []
        assertEquals(expected, HexFormat.of().formatHex(plan));
    }

    @Test
    void negativeIntsAreTwosComplement() {
        byte[] plan = PlanWriter.encode(List.of(new Op.Rlimit("RLIMIT_NOFILE", 7, -1, 1024)));
        String hex = HexFormat.of().formatHex(plan);
        assertTrue(hex.contains("01" + "08000000" + "ffffffffffffffff"), hex);
    }

    @Test
    void groupsAreLittleEndianU32() {
        byte[] plan = PlanWriter.encode(List.of(new Op.SetUser(1000, 1000, List.of(5L, 0x01020304L), true)));
        assertTrue(HexFormat.of().formatHex(plan).contains("04" + "08000000" + "05000000" + "04030201"));
    }

    @Test
    void refusesNulInsideStrings() {
        assertThrows(IllegalArgumentException.class, () -> PlanWriter.encode(List.of(new Op.SetHostname("a\0b"))));
        assertThrows(IllegalArgumentException.class, () -> PlanWriter.encode(List.of(new Op.Exec(List.of("a\0"), List.of()))));
    }

    @Test
    void everyOpcodeHasOneRecordAndSignaturesMatch() throws Exception {
        Set<OpCode> seen = EnumSet.noneOf(OpCode.class);
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            var ctor = c.getDeclaredConstructors()[0];
            Object[] args = new Object[ctor.getParameterCount()];
            Class<?>[] types = ctor.getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                args[i] = types[i] == String.class ? (c == Op.CpuAffinity.class ? "0-3" : "x") : types[i] == long.class ? 1L : types[i] == int.class ? 1
                        : types[i] == boolean.class ? true : types[i] == List.class ? List.of()
                        : types[i] == byte[].class ? new byte[8] : Op.Kind.DIR;
            }
            Op op = (Op) ctor.newInstance(args);
            assertTrue(seen.add(op.code()), "two records for " + op.code());
            PlanWriter.encode(List.of(op)); // checks the written types against the signature
        }
        for (OpCode code : OpCode.values()) {
            assertTrue(seen.contains(code), "no record for " + code);
        }
    }
}
