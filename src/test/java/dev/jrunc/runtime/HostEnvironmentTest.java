package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostEnvironmentTest {
    @Test
    void isThisProcessesEnvironmentAndCannotBeChanged() {
        RuntimeEnvironment env = RuntimeEnvironment.host();
        assertEquals(System.getenv(), env.environment());
        assertEquals(System.getenv("PATH"), env.environment().get("PATH"));
        assertEquals(System.getenv().containsKey("HOME"), env.environment().containsKey("HOME"));
        assertThrows(UnsupportedOperationException.class, () -> env.environment().put("X", "y"));
    }

    @Test
    void anotherEnvironmentIsCopied() {
        Map<String, String> mine = new java.util.HashMap<>(Map.of("A", "1"));
        RuntimeEnvironment env = new RuntimeEnvironment(null, mine, java.nio.file.Path.of("/proc"), java.nio.file.Files::delete);
        mine.put("B", "2");
        assertEquals(Map.of("A", "1"), env.environment());
    }
}
