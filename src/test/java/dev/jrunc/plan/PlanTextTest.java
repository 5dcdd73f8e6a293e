package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The golden plans' text form: flags by name, unknown bits as a hex remainder. */
class PlanTextTest {
    @Test
    void cloneFlagsByName() {
        assertEquals("Clone[flags=CLONE_NEWNS|CLONE_NEWPID]", PlanText.line(new Op.Clone(0x20000 | 0x20000000)));
        assertEquals("Clone[flags=0]", PlanText.line(new Op.Clone(0)));
    }

    @Test
    void unknownBitsAreAHexRemainder() {
        assertEquals("MountPropagation[path=/, flags=MS_REC|MS_SLAVE|0x10000000000]",
                PlanText.line(new Op.MountPropagation("/", 16384 | (1 << 19) | (1L << 40))));
    }

    @Test
    void multiBitFieldsAndKernelValues() {
        Op.Mount m = new Op.Mount("/a", "/b", "", 4096 | 16384, 1 << 18, "", Op.Kind.DIR, 0, 0x11, 0x70);
        assertEquals("Mount[source=/a, target=/b, fstype=, flags=MS_BIND|MS_REC, propagation=MS_PRIVATE, data=, kind=DIR, "
                + "remountFlags=0, attrSet=MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOATIME, attrClr=MOUNT_ATTR__ATIME]", PlanText.line(m));
        assertEquals("Mknod[path=/dev/null, mode=S_IFCHR|0666, major=1, minor=3, uid=0, gid=0, hostPath=/dev/null]",
                PlanText.line(new Op.Mknod("/dev/null", 020666, 1, 3, 0, 0, "/dev/null")));
        assertEquals("Caps[effective=CAP_CHOWN|CAP_NET_BIND_SERVICE, permitted=0, inheritable=0x8000000000000000]",
                PlanText.line(new Op.Caps(1 | 1 << 10, 0, Long.MIN_VALUE)));
        assertEquals("Rlimit[name=RLIMIT_CORE, resource=4, soft=RLIM_INFINITY, hard=1024]",
                PlanText.line(new Op.Rlimit("RLIMIT_CORE", 4, -1, 1024)));
    }

    @Test
    void everyFormatNamesARecordComponent() {
        List<String> components = Arrays.stream(Op.class.getPermittedSubclasses())
                .flatMap(c -> Arrays.stream(c.getRecordComponents()).map(rc -> c.getSimpleName() + "." + rc.getName()))
                .toList();
        for (String key : PlanText.FORMATS.keySet()) {
            assertTrue(components.contains(key), "PlanText formats " + key + ", which no Op record has");
        }
    }

    @Test
    void otherComponentsPrintAsTheRecordDoes() {
        Op.Exec exec = new Op.Exec(List.of("/bin/sh", "-c"), List.of("A=b"));
        assertEquals(exec.toString(), PlanText.line(exec));
        Op.SetUser user = new Op.SetUser(1, 2, List.of(5L, 100L), true);
        assertEquals(user.toString(), PlanText.line(user));
    }
}
