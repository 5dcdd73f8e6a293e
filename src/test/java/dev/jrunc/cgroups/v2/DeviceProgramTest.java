package dev.jrunc.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.DeviceRules.Rule;
import dev.jrunc.sys.FakeSyscalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The attach and replace logic of device programs against the fake kernel (the real one: DeviceProgramKernelTest). */
class DeviceProgramTest {
    private final Path dir = Path.of("/sys/fs/cgroup/jrunc/ct");
    private final FakeSyscalls sys = new FakeSyscalls();

    DeviceProgramTest() {
        sys.paths.add(dir.toString());
    }

    private static byte[] program(boolean allow) throws JruncException {
        return DeviceFilter.compile(List.of(new Rule(allow, 'a', -1, -1, "rwm")));
    }

    @Test
    void theOneAttachedProgramIsReplacedAndEveryFdClosed() throws Exception {
        DeviceProgram.apply(sys, dir, program(false));
        assertEquals(List.of(1), sys.bpfAttached.get(dir.toString()));
        DeviceProgram.apply(sys, dir, program(true));
        assertEquals(List.of(2), sys.bpfAttached.get(dir.toString()), "replaced in place");
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void withoutReplaceTheNewOneIsAddedThenTheOldOnesDetached() throws Exception {
        DeviceProgram.apply(sys, dir, program(false));
        sys.bpfNoReplace = true;
        DeviceProgram.apply(sys, dir, program(true));
        assertEquals(List.of(2), sys.bpfAttached.get(dir.toString()));
        sys.bpfAttached.get(dir.toString()).add(1); // two attached (another manager's too)
        sys.bpfNoReplace = false;
        DeviceProgram.apply(sys, dir, program(false));
        assertEquals(List.of(3), sys.bpfAttached.get(dir.toString()), "both old ones detached");
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void aRefusedProgramNamesTheVerifierAndAttachesNothing() throws Exception {
        sys.bpfVerifierLog = "0: (95) exit\nR0 !read_ok\n";
        JruncException e = assertThrows(JruncException.class, () -> DeviceProgram.apply(sys, dir, program(false)));
        assertEquals("load program: permission denied: the BPF verifier refused the cgroup device program: 0: (95) exit\nR0 !read_ok",
                e.getMessage());
        assertFalse(sys.bpfAttached.containsKey(dir.toString()));
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void aMissingCgroupIsRuncsError() {
        JruncException e = assertThrows(JruncException.class, () -> DeviceProgram.apply(sys, Path.of("/nowhere"), program(false)));
        assertEquals("cannot get dir FD for /nowhere: no such file or directory", e.getMessage());
        assertEquals(Set.of(), sys.openFds(), "the loaded program's fd is closed");
    }

    @Test
    void queryAsksAgainWhenTheIdsDoNotFit() throws Exception {
        List<Integer> many = new ArrayList<>();
        for (int i = 1; i <= 70; i++) {
            sys.bpfPrograms.add(program(i % 2 == 0));
            many.add(i);
        }
        sys.bpfAttached.put(dir.toString(), many);
        int fd = sys.open(dir.toString(), 0);
        assertEquals(70, DeviceProgram.attachedIds(sys, fd).length);
        sys.close(fd);
        DeviceProgram.apply(sys, dir, program(true));
        assertEquals(List.of(71), sys.bpfAttached.get(dir.toString()), "all 70 detached");
    }
}
