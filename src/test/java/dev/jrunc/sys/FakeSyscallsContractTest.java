package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link SyscallsContract}'s portable checks against {@link FakeSyscalls}: where the fake models
 * a call, it behaves as FfmSyscalls and CSyscalls do (same errno, same message), which pass the
 * same checks in {@code SyscallsContractTest}.
 */
class FakeSyscallsContractTest {

    @TestFactory
    Stream<DynamicTest> fakeBinding() {
        return SyscallsContract.runPortable(new FakeSyscalls()).stream()
                .map(r -> DynamicTest.dynamicTest(r.name(), () -> assertTrue(r.passed(), r.toString())));
    }

    @Test
    void everyPortableCheckExistsAndRuns() {
        assertTrue(SyscallsContract.names().containsAll(SyscallsContract.PORTABLE), "a portable check was renamed or removed");
        assertEquals(SyscallsContract.PORTABLE, SyscallsContract.runPortable(new FakeSyscalls()).stream()
                .map(SyscallsContract.Result::name).toList());
    }
}
