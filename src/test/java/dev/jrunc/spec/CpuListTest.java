package dev.jrunc.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** runc's CPU list cases (libcontainer/configs/tocpuset_test.go), and the sched_setaffinity mask. */
class CpuListTest {
    private static BitSet set(int... cpus) {
        BitSet b = new BitSet();
        IntStream.of(cpus).forEach(b::set);
        return b;
    }

    @Test
    void validLists() {
        assertEquals(set(0), CpuList.parse("0"));
        assertEquals(set(0, 1), CpuList.parse("0-1"));
        assertEquals(set(0, 1), CpuList.parse(",0,1,"));
        assertEquals(set(0, 1, 2, 3), CpuList.parse("0,1,2-3"));
        assertEquals(set(1, 2), CpuList.parse("1, 2, 1-2"));
        assertEquals(set(1, 3, 5, 6, 7), CpuList.parse("    , 1   , 3  ,  5-7,    "));
        assertEquals(set(1, 127, 128, 129), CpuList.parse("127-129, 1"));
        assertEquals(set(0, 65536), CpuList.parse("0,65536"));
    }

    @Test
    void invalidLists() {
        for (String bad : new String[] {"-", "1-", "-3", ",", " ", "54-53", "1 - 2", "65537", "0-65537", "a", "1-2-3", "99999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> CpuList.parse(bad), bad);
        }
    }

    @Test
    void maskIsLittleEndianWholeWords() {
        byte[] m = CpuList.mask(CpuList.parse("0,9,63"));
        assertArrayEquals(new byte[] {1, 2, 0, 0, 0, 0, 0, (byte) 0x80}, m);
        assertEquals(16, CpuList.mask(CpuList.parse("64")).length);
        assertEquals(1024, CpuList.mask(CpuList.parse("0-8191")).length);
    }
}
