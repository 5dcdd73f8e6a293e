package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Scans the main sources for the ways a Java class name reaches a user: a caught exception
 * printed whole ({@code "..." + e}, {@code e.toString()}, {@code String.valueOf(e)}), the
 * message of a JDK I/O failure used as is ({@code e.getMessage()} of an {@code IOException}:
 * {@code /x} for a missing file, {@code Is a directory} capitalized, the cause's class name for a
 * wrapper), and {@code getClass()} names. Every one goes through {@link IoErrors} instead.
 */
class NoClassNamesInMessagesTest {
    private static final Path MAIN = Path.of("src/main/java");

    /** The caught types whose getMessage() is the JDK's or a library's, not jrunc's. */
    private static final Set<String> FOREIGN = Set.of("IOException", "UncheckedIOException", "FileSystemException",
            "NoSuchFileException", "AccessDeniedException", "FileAlreadyExistsException", "NotDirectoryException",
            "DirectoryNotEmptyException", "JsonProcessingException", "JsonMappingException", "Exception", "RuntimeException",
            "Throwable", "Error");

    private static final Pattern CATCH = Pattern.compile("catch\\s*\\(\\s*(?:final\\s+)?([\\w.]+(?:\\s*\\|\\s*[\\w.]+)*)\\s+(\\w+)\\s*\\)\\s*\\{");
    private static final Pattern CLASS_NAME = Pattern.compile("getClass\\(\\)\\s*\\.\\s*get(?:Simple|Canonical|Type)?Name\\(\\)");

    record Finding(String file, int line, String what) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + what;
        }
    }

    @Test
    void noMessageIsBuiltFromAnExceptionObjectOrAForeignMessage() throws IOException {
        List<Finding> findings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                if (f.endsWith(Path.of("dev/jrunc/sys/IoErrors.java"))) {
                    continue; // the one place that reads them
                }
                findings.addAll(scan(MAIN.relativize(f).toString(), Files.readString(f)));
            }
        }
        assertEquals(List.of(), findings, "use IoErrors.reason/message/pathError instead");
    }

    @Test
    void theScannerFindsEachForbiddenForm() {
        String src = """
                class X {
                    void a() {
                        try { f(); } catch (IOException e) { throw new JruncException("cannot read: " + e.getMessage(), e); }
                        try { f(); } catch (ErrnoException | java.io.UncheckedIOException ex) { log("x: " + ex); }
                        try { f(); } catch (RuntimeException e) { log(e.toString()); }
                        try { f(); } catch (NumberFormatException e) { log(String.valueOf(e)); }
                        try { f(); } catch (ErrnoException e) { log("fine: " + e.getMessage() + "}"); }
                        try { f(); } catch (IOException e) { log("fine: " + IoErrors.message(e)); } // it's { not a block
                        try { f(); } catch (JruncException e) { /* it's } not a block's end */ log(e.getMessage()); }
                        log(thing.getClass().getName());
                    }
                }
                """;
        List<String> found = scan("X.java", src).stream().map(Finding::toString).toList();
        assertEquals(List.of(
                "X.java:3: getMessage() of a caught IOException",
                "X.java:4: caught exception ex printed whole",
                "X.java:5: caught exception e printed whole",
                "X.java:6: caught exception e printed whole",
                "X.java:10: a class name in a message"), found);
    }

    static List<Finding> scan(String file, String src) {
        List<Finding> out = new ArrayList<>();
        Matcher c = CATCH.matcher(src);
        while (c.find()) {
            String var = c.group(2);
            int end = blockEnd(src, c.end());
            String body = src.substring(c.end(), end);
            String v = Pattern.quote(var);
            Pattern whole = Pattern.compile("\\+\\s*" + v + "\\b(?!\\s*[.\\[(])|\\b" + v + "\\s*\\.\\s*toString\\(\\)|String\\.valueOf\\(\\s*" + v + "\\s*\\)");
            Matcher w = whole.matcher(body);
            while (w.find()) {
                out.add(new Finding(file, line(src, c.end() + w.start()), "caught exception " + var + " printed whole"));
            }
            String foreign = null;
            for (String type : c.group(1).split("\\|")) {
                String simple = type.strip().substring(type.strip().lastIndexOf('.') + 1);
                if (FOREIGN.contains(simple)) {
                    foreign = simple;
                    break;
                }
            }
            if (foreign != null) {
                Matcher m = Pattern.compile("\\b" + v + "\\s*\\.\\s*get(?:Localized)?Message\\(\\)").matcher(body);
                while (m.find()) {
                    out.add(new Finding(file, line(src, c.end() + m.start()), "getMessage() of a caught " + foreign));
                }
            }
        }
        Matcher n = CLASS_NAME.matcher(src);
        while (n.find()) {
            out.add(new Finding(file, line(src, n.start()), "a class name in a message"));
        }
        out.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return out;
    }

    /** The index of the brace closing the block that starts at {@code from}; strings and chars skipped. */
    private static int blockEnd(String src, int from) {
        int depth = 1;
        for (int i = from; i < src.length(); i++) {
            char ch = src.charAt(i);
            if (src.startsWith("//", i)) {
                int eol = src.indexOf('\n', i);
                i = eol < 0 ? src.length() : eol;
            } else if (src.startsWith("/*", i)) {
                int close = src.indexOf("*/", i + 2);
                i = close < 0 ? src.length() : close + 1;
            } else if (ch == '"' || ch == '\'') {
                if (src.startsWith("\"\"\"", i)) {
                    int close = src.indexOf("\"\"\"", i + 3);
                    i = close < 0 ? src.length() : close + 2;
                    continue;
                }
                for (i++; i < src.length() && src.charAt(i) != ch; i++) {
                    if (src.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return i;
            }
        }
        return src.length();
    }

    private static int line(String src, int index) {
        int n = 1;
        for (int i = 0; i < index; i++) {
            if (src.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    @Test
    void theMainSourcesAreThere() {
        assertTrue(Files.isDirectory(MAIN.resolve("dev/jrunc")), "run from the project directory");
    }
}
