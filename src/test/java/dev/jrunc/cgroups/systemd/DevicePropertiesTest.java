package dev.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.DeviceRules;
import dev.jrunc.cgroups.DeviceRules.Rule;
import dev.jrunc.spec.model.DeviceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DevicePropertiesTest {
    static final String PROC_DEVICES = """
            Character devices:
              1 mem
              4 /dev/vc/0
              5 /dev/tty
            136 pts
            180 usb

            Block devices:
              8 sd
            259 blkext
            """;

    /** The /dev/char and /dev/block names that exist on the pretend host. */
    static final Set<String> EXISTING = Set.of("/dev/char/1:3", "/dev/char/1:5", "/dev/char/1:7", "/dev/char/1:8",
            "/dev/char/1:9", "/dev/char/5:0", "/sys/dev/char/5:2", "/dev/block/8:0");

    static String map(List<Rule> rules, List<String> warnings) throws JruncException {
        return UnitPropertiesTest.show(DeviceProperties.of(rules, PROC_DEVICES, EXISTING::contains, warnings::add));
    }

    static DeviceRule rule(boolean allow, String type, Long major, Long minor, String access) {
        return new DeviceRule(allow, type, major, minor, access, null);
    }

    @Test
    void runcsDefaultSpecIsAStrictAllowList() throws JruncException {
        // runc's spec: deny all, then runc's default allow list; /dev/net/tun (10:200) is not on
        // this host: skipped with runc's warning; 5:2 exists only under /sys/dev
        List<String> warnings = new ArrayList<>();
        String props = map(DeviceRules.effective(List.of(rule(false, null, null, null, "rwm")), List.of()), warnings);
        assertEquals("DevicePolicy=strict DeviceAllow=[] DeviceAllow=[[block-*, m], [char-*, m], [/dev/char/1:3, rwm], "
                + "[/dev/char/1:5, rwm], [/dev/char/1:7, rwm], [/dev/char/1:8, rwm], [/dev/char/1:9, rwm], "
                + "[/dev/char/5:0, rwm], [/dev/char/5:2, rwm], [char-pts, rwm]]", props);
        assertEquals(List.of("skipping device /dev/char/10:200 for systemd: stat /sys/dev/char/10:200: no such file or directory"), warnings);
    }

    @Test
    void aDeniedDeviceIsNotInTheList() throws JruncException {
        // allow all of major 1, then deny 1:3 again: the emulator keeps what is left
        List<String> warnings = new ArrayList<>();
        String props = map(List.of(DeviceRules.rule(true, "c", 1L, 5L, "rw"), DeviceRules.rule(true, "c", 1L, 3L, "r"),
                DeviceRules.rule(false, "c", 1L, 3L, "r")), warnings);
        assertEquals("DevicePolicy=strict DeviceAllow=[] DeviceAllow=[[/dev/char/1:5, rw]]", props);
        assertEquals(List.of(), warnings);
    }

    @Test
    void wildcardsAsSystemdNamesThem() throws JruncException {
        List<String> warnings = new ArrayList<>();
        String props = map(List.of(DeviceRules.rule(true, "c", 136L, null, "rw"), DeviceRules.rule(true, "b", 8L, null, "r"),
                DeviceRules.rule(true, "c", null, 7L, "r"), DeviceRules.rule(true, "c", 99L, null, "r"),
                DeviceRules.rule(true, "b", null, null, "m")), warnings);
        assertEquals("DevicePolicy=strict DeviceAllow=[] DeviceAllow=[[block-*, m], [block-sd, r], [char-pts, rw]]", props);
        assertEquals(List.of("systemd doesn't support '*:n' device rules -- temporarily ignoring rule: c *:7 r",
                "could not find device group for 'c/99' in /proc/devices -- temporarily ignoring rule: c 99:* r"), warnings);
    }

    @Test
    void allowAllIsPolicyAutoAndADenyListIsATemporaryDenyAll() throws JruncException {
        List<String> warnings = new ArrayList<>();
        assertEquals("DevicePolicy=auto DeviceAllow=[]", map(List.of(DeviceRules.rule(true, null, null, null, "rwm")), warnings));
        assertEquals(List.of(), warnings);
        assertEquals("DevicePolicy=strict DeviceAllow=[]", map(List.of(DeviceRules.rule(true, null, null, null, "rwm"),
                DeviceRules.rule(false, "c", 1L, 3L, "rwm")), warnings));
        assertEquals(List.of("systemd doesn't support blacklist device rules -- applying temporary deny-all rule"), warnings);
    }

    @Test
    void aRuleTheEmulatorRefusesIsRuncsError() {
        JruncException e = assertThrows(JruncException.class, () -> map(List.of(DeviceRules.rule(true, "c", 1L, null, "rwm"),
                DeviceRules.rule(false, "c", 1L, 3L, "r")), new ArrayList<>()));
        assertEquals(true, e.getMessage().startsWith("unable to apply rule for systemd: remove 'allow' exception"), e.getMessage());
    }

    @Test
    void procDevicesGroups() {
        assertEquals("pts", DeviceProperties.group(PROC_DEVICES, 'c', 136));
        assertEquals("/dev/tty", DeviceProperties.group(PROC_DEVICES, 'c', 5));
        assertEquals("blkext", DeviceProperties.group(PROC_DEVICES, 'b', 259));
        assertNull(DeviceProperties.group(PROC_DEVICES, 'b', 1));
        assertNull(DeviceProperties.group(PROC_DEVICES, 'c', 8));
    }
}
