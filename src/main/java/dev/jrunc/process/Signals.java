package dev.jrunc.process;

import dev.jrunc.JruncException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Linux x86-64/arm64 signal names and numbers, parsed as runc's {@code kill} accepts them. */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGWINCH = 28;
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private static final Map<String, Integer> BY_NAME = new LinkedHashMap<>();

    static {
        String[] names = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
            "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
            "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        for (int n = 1; n < names.length; n++) {
            BY_NAME.put(names[n], n);
        }
        BY_NAME.put("IOT", 6);
        BY_NAME.put("POLL", 29);
        BY_NAME.put("CLD", 17);
        BY_NAME.put("RTMIN", SIGRTMIN);
        BY_NAME.put("RTMAX", SIGRTMAX);
    }

    private Signals() {}

    /**
     * {@code KILL}, {@code SIGKILL}, {@code kill}, {@code 9}, {@code RTMIN+3} or
     * {@code SIGRTMAX-1}; fails with runc's {@code unknown signal "X"}. As runc (Go's
     * {@code strconv.Atoi}), a number is taken as it is, sign included: {@code 0} is the liveness
     * check engines send, and a number the kernel has no signal for fails at kill(2) ("invalid
     * argument"). Nothing is trimmed: {@code " 9"} and {@code "KILL "} are refused, as by runc.
     */
    public static int parse(String text) throws JruncException {
        String s = text;
        if (s.matches("[+-]?[0-9]+")) {
            try {
                return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException e) {
                throw new JruncException("unknown signal \"" + text + "\""); // beyond an int
            }
        }
        String name = s.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer n = BY_NAME.get(name);
        if (n != null) {
            return n;
        }
        for (String base : new String[] {"RTMIN", "RTMAX"}) {
            if (name.startsWith(base + "+") || name.startsWith(base + "-")) {
                try {
                    int offset = Integer.parseInt(name.substring(base.length()));
                    int value = BY_NAME.get(base) + offset;
                    if (value >= SIGRTMIN && value <= SIGRTMAX) {
                        return value;
                    }
                } catch (NumberFormatException e) {
                    // fall through
                }
            }
        }
        throw new JruncException("unknown signal \"" + text + "\"");
    }

    /** The name without SIG, e.g. {@code TERM}; {@code RTMIN+N} for real-time signals. */
    public static String name(int signal) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == signal && !e.getKey().equals("IOT") && !e.getKey().equals("CLD") && !e.getKey().equals("POLL")) {
                return e.getKey();
            }
        }
        return signal > SIGRTMIN && signal < SIGRTMAX ? "RTMIN+" + (signal - SIGRTMIN) : Integer.toString(signal);
    }
}
