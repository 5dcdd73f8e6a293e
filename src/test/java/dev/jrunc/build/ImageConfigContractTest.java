package dev.jrunc.build;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.KernelTest;
import dev.jrunc.NativeContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@link ImageConfigContract} on the JVM and inside the native image. */
class ImageConfigContractTest {

    @TestFactory
    Stream<DynamicTest> onTheJvm() {
        return ImageConfigContract.run().stream()
                .map(r -> DynamicTest.dynamicTest(r.name(), () -> assertTrue(r.passed(), r.toString())));
    }

    @KernelTest
    @TestFactory
    Stream<DynamicTest> inNativeImage() throws Exception {
        return NativeContract.tests("config", ImageConfigContract.names());
    }
}
