package dev.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.dbus.Variant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdAnnotationsTest {
    private static String error(Map<String, String> a) {
        String m = assertThrows(JruncException.class, () -> SystemdAnnotations.properties(a)).getMessage();
        assertFalse(m.contains("java.") || m.contains("Exception"), m);
        return m;
    }

    @Test
    void annotationsBecomeProperties() throws JruncException {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("org.systemd.property.TimeoutStopUSec", "uint64 123456789");
        a.put("org.systemd.property.CollectMode", "'inactive-or-failed'");
        a.put("org.other.annotation", "not GVariant at all [");
        assertEquals(List.of(new Property("CollectMode", new Variant("s", "inactive-or-failed")),
                new Property("TimeoutStopUSec", new Variant("t", 123456789L))), SystemdAnnotations.properties(a));
        assertEquals(List.of(), SystemdAnnotations.properties(null));
    }

    @Test
    void secondsNamesBecomeMicroseconds() throws JruncException {
        assertEquals(List.of(new Property("TimeoutStopUSec", new Variant("t", 5_000_000L))),
                SystemdAnnotations.properties(Map.of("org.systemd.property.TimeoutStopSec", "5")));
        assertEquals(List.of(new Property("RuntimeMaxUSec", new Variant("t", 1_500_000L))),
                SystemdAnnotations.properties(Map.of("org.systemd.property.RuntimeMaxSec", "1.5")));
        assertEquals(List.of(new Property("TimeoutStopUSec", new Variant("t", 2_000_000L))),
                SystemdAnnotations.properties(Map.of("org.systemd.property.TimeoutStopSec", "uint64 2")));
        // USec, or an upper-case letter before Sec: kept as it is
        assertTrue(SystemdAnnotations.secondsName("TimeoutStopSec"));
        assertFalse(SystemdAnnotations.secondsName("TimeoutStopUSec"));
        assertFalse(SystemdAnnotations.secondsName("Sec"));
        assertFalse(SystemdAnnotations.secondsName("FooSecs"));
        assertEquals(List.of(new Property("CPUQuotaPerSecUSec", new Variant("t", 7L))),
                SystemdAnnotations.properties(Map.of("org.systemd.property.CPUQuotaPerSecUSec", "uint64 7")));
    }

    @Test
    void badNamesInRuncsWords() {
        assertEquals("annotation org.systemd.property.Ab name incorrect: too short",
                error(Map.of("org.systemd.property.Ab", "true")));
        assertEquals("annotation org.systemd.property. name incorrect: too short", error(Map.of("org.systemd.property.", "1")));
        assertEquals("annotation org.systemd.property.Foo1 name incorrect: contains non-alphabetic character",
                error(Map.of("org.systemd.property.Foo1", "true")));
    }

    @Test
    void badValuesInRuncsWords() {
        assertEquals("annotation org.systemd.property.TimeoutStopUSec=12x value parse error: bad number syntax: \"12x\"",
                error(Map.of("org.systemd.property.TimeoutStopUSec", "12x")));
        assertEquals("annotation org.systemd.property.TimeoutStopUSec= value parse error: unexpected EOF",
                error(Map.of("org.systemd.property.TimeoutStopUSec", "")));
        // a seconds name wants a number
        assertEquals("annotation org.systemd.property.TimeoutStopSec=true value parse error: not a number",
                error(Map.of("org.systemd.property.TimeoutStopSec", "true")));
        assertEquals("annotation org.systemd.property.TimeoutStopSec=@at [1,2] value parse error: not a number",
                error(Map.of("org.systemd.property.TimeoutStopSec", "@at [1,2]")));
    }
}
