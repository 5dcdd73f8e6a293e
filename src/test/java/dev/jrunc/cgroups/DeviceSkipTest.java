package dev.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.cgroups.DeviceRules.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** runc's canSkipEBPFError: when a failure to load the v2 device program may be ignored. */
class DeviceSkipTest {
    @Test
    void onlyRulesThatAllowEverythingTheyNameMayGoWithoutAProgram() throws Exception {
        assertTrue(Files.readString(Path.of("/proc/self/uid_map")).trim().matches("0\\s+0\\s+4294967295"),
                "the tests run outside a user namespace (inside one, every failure is skipped)");
        assertTrue(ResourcesWriter.canSkipDeviceError(List.of(new Rule(true, 'c', 1, 3, "rwm"), new Rule(true, 'a', -1, -1, "rwm"))));
        // runc's defaults hold mknod-only rules, the default spec a deny: never skipped
        assertFalse(ResourcesWriter.canSkipDeviceError(DeviceRules.effective(null, List.of())));
        assertFalse(ResourcesWriter.canSkipDeviceError(List.of(new Rule(false, 'a', -1, -1, "rwm"))));
    }
}
