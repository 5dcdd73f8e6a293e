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
        assertEquals("2026-01-02T03:04:05.05Z", GoTime.rfc3339Nano(Instant.parse("2026-01-02T03:04:05.050Z")));
        assertEquals("0999-12-31T23:59:59.9Z", GoTime.rfc3339Nano(Instant.parse("0999-12-31T23:59:59.900Z")));
    }

    @Test
    void sameAsTheFormatterForAnyInstantOfTheseYears() {
        java.time.format.DateTimeFormatter go = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 253402300799L), random.nextInt(1_000_000_000));
            String fraction = String.format("%09d", t.getNano()).replaceAll("0+$", "");
            String expected = go.format(t) + (fraction.isEmpty() ? "" : "." + fraction) + "Z";
            assertEquals(expected, GoTime.rfc3339Nano(t), t.toString());
        }
    }
}
