package dev.jrunc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of the C programs (jrunc-init and its test tools, built by the test with
 * src/main/c/init/Makefile; the fuzzer under ASan/UBSan takes tens of seconds). Needs gcc, not
 * root. Tagged {@code native}: {@code make unit} leaves these out, {@code make test} runs them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("native")
public @interface NativeBuildTest {}
