package dev.jrunc.spec;

import java.util.BitSet;

/**
 * Linux CPU lists as in {@code process.execCPUAffinity} and cpuset files: comma-separated CPU
 * numbers and ranges, {@code "0-3,7"}. Parsed with runc's rules: whitespace around an element
 * and empty elements are allowed ({@code ",0, 1,"}), not inside a range ({@code "1 - 2"}); a
 * range must not run backwards; CPU numbers go up to {@value #MAX_CPU}; a list with no CPU at
 * all ({@code ","}, {@code " "}) is an error. The empty string means "not set".
 */
public final class CpuList {
    /** The largest CPU number runc accepts. */
    public static final int MAX_CPU = 65536;

    private CpuList() {}

    /** The CPUs of a non-empty list; throws {@link IllegalArgumentException} with the reason. */
    public static BitSet parse(String list) {
        BitSet cpus = new BitSet();
        for (String element : list.split(",", -1)) {
            String e = element.strip();
            if (e.isEmpty()) {
                continue;
            }
            int dash = e.indexOf('-');
            int from = number(dash < 0 ? e : e.substring(0, dash), list);
            int to = dash < 0 ? from : number(e.substring(dash + 1), list);
            if (to < from) {
                throw new IllegalArgumentException("invalid CPU range \"" + e + "\" in \"" + list + "\": start is after end");
            }
            cpus.set(from, to + 1);
        }
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("invalid CPU list \"" + list + "\": no CPU");
        }
        return cpus;
    }

    private static int number(String s, String list) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid CPU list \"" + list + "\": \"" + s + "\" is not a CPU number");
        }
        if (s.length() > 6 || Integer.parseInt(s) > MAX_CPU) {
            throw new IllegalArgumentException("invalid CPU list \"" + list + "\": CPU " + s + " is above the maximum " + MAX_CPU);
        }
        return Integer.parseInt(s);
    }

    /**
     * The mask sched_setaffinity(2) takes: bit n of byte n/8 for CPU n, padded to whole 64-bit
     * words (the kernel reads the mask as an array of unsigned long).
     */
    public static byte[] mask(BitSet cpus) {
        int words = (cpus.length() + 63) / 64;
        byte[] mask = new byte[Math.max(1, words) * 8];
        byte[] bits = cpus.toByteArray(); // little-endian: bit n is bit n%8 of byte n/8
        System.arraycopy(bits, 0, mask, 0, bits.length);
        return mask;
    }
}
