package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.NativeContract;
import dev.jrunc.sys.ffm.FfmSyscalls;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@link SyscallsContract} against both bindings: FFM here, {@code @CFunction} in the native image. */
class SyscallsContractTest {

    private static SyscallsContract.Expected host() {
        return new SyscallsContract.Expected(NativeContract.id("-ru"), NativeContract.id("-u"));
    }

    @TestFactory
    Stream<DynamicTest> ffmBinding() {
        return SyscallsContract.run(new FfmSyscalls(), host()).stream()
                .map(r -> DynamicTest.dynamicTest(r.name(), () -> assertTrue(r.passed(), r.toString())));
    }

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
