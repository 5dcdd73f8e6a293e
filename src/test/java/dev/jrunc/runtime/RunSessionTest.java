package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.sys.FakeSyscalls;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a {@link RunSession} owns: the pty master and the notify socket, closed by close(). */
class RunSessionTest {

    @Test
    void closeClosesTheMasterAndTheNotifySocket() {
        FakeSyscalls sys = new FakeSyscalls();
        int master = sys.open("/dev/ptmx");
        int notify = sys.open("unix:/run/jrunc/c1/notify/notify.sock");
        int other = sys.open("/dev/null");
        new RunSession(sys, 77, master, notify, null).close();
        assertEquals(Set.of(other), sys.openFds());
    }

    @Test
    void withoutANotifyHostDetachedRunDoesNotRelay() {
        FakeSyscalls sys = new FakeSyscalls();
        int notify = sys.open("unix:/run/jrunc/c1/notify/notify.sock");
        try (RunSession session = new RunSession(sys, 77, -1, notify, null)) {
            session.relayDetached(); // would read the socket (ENOSYS in the fake) if it relayed
            assertTrue(sys.calls.getOrDefault("read", 0) + sys.calls.getOrDefault("poll", 0) == 0, sys.calls.toString());
        }
        assertTrue(sys.openFds().isEmpty());
    }
}
