package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import dev.jrunc.sys.FakeSyscalls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ExitWaiter}: the reaped child's exit status, a bounded wait, and a process that is not a child. */
class ExitWaiterTest {
    private final FakeSyscalls sys = new FakeSyscalls();

    private int child() throws Exception {
        return sys.spawn("/proc/self/fd/9", List.of("jrunc-init"), List.of(), new int[] {-1, -1, -1});
    }

    @Test
    void anExitedChildIsReapedWithItsStatus() throws Exception {
        int pid = child();
        sys.exitChild(pid, 3);
        assertEquals(3, new ExitWaiter(sys).await("c1", pid, Duration.ofSeconds(10)));
        JruncException again = assertThrows(JruncException.class, () -> new ExitWaiter(sys).await("c1", pid, Duration.ofSeconds(10)));
        assertEquals("cannot wait for container c1: its process " + pid
                + " is not a child of this process (or was already waited for)", again.getMessage());
    }

    @Test
    void aKilledChildReportsTheSignalAsAShellDoes() throws Exception {
        int pid = child();
        sys.kill(pid, 9);
        assertEquals(128 + 9, new ExitWaiter(sys).await("c1", pid, Duration.ofSeconds(10)));
    }

    @Test
    void aRunningChildIsWaitedForNoLongerThanTheTimeout() throws Exception {
        int pid = child();
        JruncException e = assertThrows(JruncException.class, () -> new ExitWaiter(sys).await("c1", pid, Duration.ZERO));
        assertEquals("container c1 did not exit within 0 ms", e.getMessage());
    }
}
