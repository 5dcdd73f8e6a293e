package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.KernelTest;
import dev.jrunc.NativeContract;
import dev.jrunc.sys.ffm.FfmSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link SyscallsContract} against both bindings: FFM here and in a JVM of its own (umask 077), {@code @CFunction} in the native image.
 */
class SyscallsContractTest {

    private static SyscallsContract.Expected host() {
        return new SyscallsContract.Expected(NativeContract.id("-u"), false);
    }

    @TestFactory
    Stream<DynamicTest> ffmBinding() {
        return SyscallsContract.run(new FfmSyscalls(), host()).stream()
                .map(r -> DynamicTest.dynamicTest(r.name(), () -> assertTrue(r.passed(), r.toString())));
    }

    @TestFactory
    Stream<DynamicTest> ffmBindingInOwnProcess() throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED"));
        String library = System.getProperty(FfmSyscalls.LIBRARY_PROPERTY);
        if (library != null && !library.isBlank()) {
            command.add("-D" + FfmSyscalls.LIBRARY_PROPERTY + "=" + library);
        }
        command.addAll(List.of("-cp", location(FfmContractMain.class) + ":" + location(FfmSyscalls.class),
                FfmContractMain.class.getName(), String.valueOf(NativeContract.id("-u"))));
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the FFM contract JVM did not finish");
        List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("ran quietly, every check", () -> {
            assertEquals("", err, "stderr of the FFM contract JVM");
            assertEquals(SyscallsContract.names(), lines.stream()
                    .map(l -> l.substring(5))
                    .map(l -> SyscallsContract.names().stream().filter(n -> l.equals(n) || l.startsWith(n + ": "))
                            .findFirst().orElse(l))
                    .toList());
        }));
        for (String check : SyscallsContract.names()) {
            tests.add(DynamicTest.dynamicTest(check, () -> {
                String line = lines.stream()
                        .filter(l -> l.substring(5).equals(check) || l.substring(5).startsWith(check + ": "))
                        .findFirst().orElseThrow(() -> new AssertionError("not run: " + check + "\n" + err));
                assertTrue(line.startsWith("PASS "), line);
            }));
        }
        return tests.stream();
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @KernelTest
    @TestFactory
    Stream<DynamicTest> cfunctionBindingInNativeImage() throws Exception {
        return NativeContract.tests("syscalls", SyscallsContract.names());
    }

    @Test
    void ffmRunsEveryCheck() {
        List<String> ran = SyscallsContract.run(new FfmSyscalls(), host()).stream()
                .map(SyscallsContract.Result::name).toList();
        assertEquals(SyscallsContract.names(), ran);
    }
}
