package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FakeSyscallsTest {
    private final FakeSyscalls sys = new FakeSyscalls();

    @Test
    void killFollowsTheProcessTable() throws Exception {
        sys.live.add(77);
        sys.kill(77, 0);
        sys.kill(77, 15);
        sys.kill(77, 9);
        ErrnoException gone = assertThrows(ErrnoException.class, () -> sys.kill(77, 0));
        assertEquals(Errno.ESRCH, gone.errno());
        assertEquals("kill: no such process", gone.getMessage());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> sys.kill(sys.getpid(), 1000)).errno());
        assertEquals(List.of("77:0", "77:15", "77:9"), sys.signals);
    }

    @Test
    void passesFdsOverSocketpairs() throws Exception {
        int file = sys.open("/run/console.sock");
        int[] pair = sys.socketpair();
        sys.sendFd(pair[0], file);
        int received = sys.recvFd(pair[1]);
        assertEquals("/run/console.sock", sys.describe(received));
        sys.close(pair[0]);
        assertEquals(Errno.ECONNRESET, assertThrows(ErrnoException.class, () -> sys.recvFd(pair[1])).errno());
        sys.close(pair[1]);
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> sys.close(pair[1])).errno());
        assertNull(sys.describe(pair[1]));
    }

    @Test
    void pidfdsOnlyForLiveProcesses() throws Exception {
        assertEquals("pidfd:4242", sys.describe(sys.pidfdOpen(4242)));
        assertEquals(Errno.ESRCH, assertThrows(ErrnoException.class, () -> sys.pidfdOpen(5)).errno());
    }
}
