package dev.jrunc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that needs root and the host's kernel: cgroups, namespaces, a built jrunc or
 * jrunc-init, the native contract image. Tagged {@code kernel}: {@code make unit} leaves these
 * out ({@code -DexcludedGroups=kernel}), {@code make test} runs them. Run without root they are
 * skipped with the reason ({@link RequiresRoot}), never failed.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(RequiresRoot.class)
public @interface KernelTest {}
