package dev.jrunc.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "abc-DEF_1.2+3", "...", "a..b", "0"})
    void valid(String id) throws JruncException {
        assertTrue(ContainerId.isValid(id));
        assertEquals(id, ContainerId.check(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "a/b", "../x", "a b", "a:b", "é", "a\nb", "*"})
    void invalid(String id) {
        assertFalse(ContainerId.isValid(id));
        JruncException e = assertThrows(JruncException.class, () -> ContainerId.check(id));
        assertEquals("invalid container ID format: " + id, e.getMessage());
    }
}
