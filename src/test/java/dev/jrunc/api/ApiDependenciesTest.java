package dev.jrunc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A program that embeds jrunc depends on its jar without picocli: every class of
 * {@code dev.jrunc.api}, and every jrunc class they reach (through any constant-pool reference:
 * types, descriptors, signatures, annotations, nested classes), names neither picocli nor the
 * command line ({@code dev.jrunc.cli}), nor GraalVM's SDK (not on a JVM's class path).
 */
class ApiDependenciesTest {
    private static final Pattern JRUNC_CLASS = Pattern.compile("dev/jrunc/[A-Za-z0-9_/$]+");
    private static final List<String> FORBIDDEN = List.of("picocli/", "dev/jrunc/cli/", "org/graalvm/");

    private static Path classes() throws Exception {
        Path location = Path.of(Jrunc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(location), "scans a classes directory, not " + location);
        return location;
    }

    /** Internal names of the classes {@code start} reach, by a reference in their constant pools, within jrunc. */
    private static Map<String, Set<String>> closure(Path classes, Set<String> start) throws IOException {
        Map<String, Set<String>> forbidden = new TreeMap<>();
        Set<String> seen = new TreeSet<>(start);
        Deque<String> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            Path file = classes.resolve(name + ".class");
            if (!Files.isRegularFile(file)) {
                continue; // a package name or a string constant that merely looks like a class
            }
            for (PoolEntry entry : ClassFile.of().parse(file).constantPool()) {
                if (!(entry instanceof Utf8Entry utf8)) {
                    continue;
                }
                String text = utf8.stringValue();
                for (String bad : FORBIDDEN) {
                    if (text.contains(bad)) {
                        forbidden.computeIfAbsent(name, k -> new TreeSet<>()).add(text);
                    }
                }
                Matcher m = JRUNC_CLASS.matcher(text);
                while (m.find()) {
                    if (seen.add(m.group())) {
                        todo.push(m.group());
                    }
                }
            }
        }
        forbidden.put("(reached)", seen);
        return forbidden;
    }

    private static Set<String> apiClasses(Path classes) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(classes.resolve("dev/jrunc/api"))) {
            files.filter(f -> f.toString().endsWith(".class"))
                    .forEach(f -> names.add(classes.relativize(f).toString().replaceFirst("\\.class$", "")));
        }
        return names;
    }

    @Test
    void theApiReachesNoPicocliNorCliNorGraalSdk() throws Exception {
        Path classes = classes();
        Set<String> start = apiClasses(classes);
        assertTrue(start.contains("dev/jrunc/api/Jrunc$Builder"), "the api classes: " + start);
        Map<String, Set<String>> result = closure(classes, start);
        Set<String> reached = result.remove("(reached)");
        // the walk goes through the runtime (a broken walk would find nothing and pass)
        assertTrue(reached.contains("dev/jrunc/runtime/ContainerCreator"), "reached: " + reached);
        assertTrue(reached.contains("dev/jrunc/sys/ffm/FfmSyscalls"), "reached: " + reached);
        assertEquals(Map.of(), result, "api classes and what they reach, with their forbidden references");
    }

    @Test
    void theWalkFindsPicocliWhereItIs() throws Exception {
        Path classes = classes();
        Map<String, Set<String>> result = closure(classes, Set.of("dev/jrunc/JvmMain"));
        result.remove("(reached)");
        assertTrue(result.keySet().stream().anyMatch(c -> c.startsWith("dev/jrunc/cli/")), "found: " + result.keySet());
        assertTrue(result.values().stream().flatMap(Set::stream).anyMatch(s -> s.contains("picocli/")), "found: " + result);
    }
}
