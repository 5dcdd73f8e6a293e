package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each binding is referred to by its entry points only: the FFM one ({@code dev.jrunc.sys.ffm},
 * which throws inside our native images) by {@code JvmMain} and by the library's JVM-only
 * {@code Jrunc.Builder.build()} (the native CLI calls {@code build(Syscalls)}), the {@code @CFunction} one
 * ({@code dev.jrunc.sys.cfunction}, which cannot load on the JVM) by {@code NativeMain}.
 * Everything else goes through {@code Native.syscalls()}. (The Makefile also checks that no FFM
 * binding class is in the built image.)
 */
class BindingIsolationTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void onlyJvmMainRefersToTheFfmBinding() throws IOException {
        assertEquals(List.of("dev/jrunc/JvmMain.class", "dev/jrunc/api/Jrunc$Builder.class"), referrers("dev/jrunc/sys/ffm/"));
    }

    @Test
    void onlyNativeMainRefersToTheCFunctionBinding() throws IOException {
        assertEquals(List.of("dev/jrunc/NativeMain.class"), referrers("dev/jrunc/sys/cfunction/"));
    }

    /** Main classes outside {@code pkg} whose constant pool names a class of {@code pkg}. */
    private static List<String> referrers(String pkg) throws IOException {
        byte[] needle = pkg.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> CLASSES.relativize(f).toString().replace('\\', '/'))
                    .filter(name -> !name.startsWith(pkg))
                    .filter(name -> contains(read(CLASSES.resolve(name)), needle))
                    .sorted()
                    .toList();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
