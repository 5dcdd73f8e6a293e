package dev.jrunc.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GoTimeTest {
    @Test
    void dropsTrailingZerosLikeGo() {
        assertEquals("2026-11-25T10:40:06.1146813Z", GoTime.rfc3339Nano(Instant.parse("2026-11-25T10:40:06.114681300Z")));
        assertEquals("2026-11-25T10:40:06Z", GoTime.rfc3339Nano(Instant.parse("2026-11-25T10:40:06Z")));
        assertEquals("2026-11-25T10:40:06.000000001Z", GoTime.rfc3339Nano(Instant.parse("2026-11-25T10:40:06.000000001Z")));
        assertEquals("2026-11-25T10:40:06Z", GoTime.rfc3339(Instant.parse("2026-11-25T10:40:06.9Z")));
    }
}
