package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jrunc.NativeBuildTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The opcode table is written twice: {@link OpCode} in Java and {@code src/main/c/init/ops.def}
 * in C, from which the init's decoder table, handler prototypes and dispatch are generated.
 * These tests fail when the two differ in any code, name or signature, when the built init was
 * not made from ops.def, when an op's handler is not defined in the init's sources (the build
 * fails then too), or when PLAN.md's opcode table disagrees.
 */
@NativeBuildTest
class OpTableTest {
    static final Path INIT_SRC = Path.of("src/main/c/init").toAbsolutePath();
    private static final Pattern OP_LINE = Pattern.compile("OP\\((0x[0-9a-f]{2}), (\\w+), +\"([islb]*)\", +(\\w+)\\)");

    /** One line of ops.def. */
    record Entry(int code, String name, String signature, String handler) {
        /** As {@code jrunc-init --list-ops} prints it. */
        String listed() {
            return String.format("0x%02x %s %s", code, name, signature.isEmpty() ? "-" : signature);
        }
    }

    /** The OP(...) lines of ops.def; anything else outside its comments fails. */
    static List<Entry> opsDef() throws Exception {
        String text = Files.readString(INIT_SRC.resolve("ops.def"), StandardCharsets.UTF_8);
        text = text.replaceAll("(?s)/\\*.*?\\*/", "");
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = OP_LINE.matcher(line.strip());
            if (!m.matches()) {
                fail("ops.def: not an OP(code, name, \"signature\", handler) line: " + line);
            }
            entries.add(new Entry(Integer.decode(m.group(1)), m.group(2), m.group(3), m.group(4)));
        }
        return entries;
    }

    private static String listed(List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        entries.forEach(e -> sb.append(e.listed()).append('\n'));
        return sb.toString();
    }

    @Test
    void javaAndOpsDefAgreeOnEveryOp() throws Exception {
        List<Entry> java = new ArrayList<>();
        for (OpCode c : OpCode.values()) {
            java.add(new Entry(c.code(), c.cName(), c.signature(), null));
        }
        assertEquals(listed(java), listed(opsDef()), "OpCode.java and ops.def (code name signature, in order)");
    }

    @Test
    void codesAndNamesAreUnique() throws Exception {
        Set<Integer> codes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Entry e : opsDef()) {
            assertTrue(codes.add(e.code()), "ops.def lists code " + e.listed() + " twice");
            assertTrue(names.add(e.name()), "ops.def lists name " + e.name() + " twice");
        }
    }

    @Test
    void builtInitDecodesExactlyOpsDef() throws Exception {
        Process p = new ProcessBuilder(InitTools.init().toString(), "--list-ops").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals(listed(opsDef()), out, "jrunc-init --list-ops");
    }

    /** The build refuses an undefined handler (the link); this names the op that lacks one. */
    @Test
    void everyOpHasOneHandlerDefinition() throws Exception {
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(INIT_SRC)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".c")).sorted().toList()) {
                sources.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        for (Entry e : opsDef()) {
            Pattern def = Pattern.compile("(?m)^void " + e.handler() + "\\(const struct op \\*op\\)$");
            long n = sources.stream().mapToLong(s -> def.matcher(s).results().count()).sum();
            assertEquals(1, n, e.listed() + ": definitions of its handler " + e.handler() + " in " + INIT_SRC);
        }
        // main.c's dispatch table is the one generated from ops.def, not a hand-written list
        String main = Files.readString(INIT_SRC.resolve("main.c"), StandardCharsets.UTF_8);
        assertTrue(main.contains("#define OP(code, name, sig, handler) [code] = handler,\n"
                + "static void (*const handlers[])(const struct op *) = {\n#include \"ops.def\"\n};"),
                "main.c's dispatch is handlers[], generated from ops.def");
    }

    /** PLAN.md's opcode table: the same codes and names in the same order, each argument led by its type letter. */
    @Test
    void planMdDocumentsEveryOp() throws Exception {
        List<Entry> documented = new ArrayList<>();
        for (String line : Files.readAllLines(INIT_SRC.resolve("PLAN.md"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("| 0x")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            String args = cells[3].strip();
            StringBuilder sig = new StringBuilder();
            if (!args.equals("–")) {
                for (String arg : args.split(",\\s*(?![^()]*\\))")) {
                    assertTrue(arg.matches("[islb] \\S.*"), "PLAN.md " + cells[2].strip() + ": argument not led by its type: " + arg);
                    sig.append(arg.charAt(0));
                }
            }
            documented.add(new Entry(Integer.decode(cells[1].strip()), cells[2].strip(), sig.toString(), null));
        }
        assertEquals(listed(opsDef()), listed(documented), "PLAN.md's opcode table (code name signature, in order)");
    }
}
