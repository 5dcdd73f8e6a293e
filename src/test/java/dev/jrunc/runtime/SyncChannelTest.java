package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrunc.JruncException;
import dev.jrunc.sys.Syscalls;
import dev.jrunc.sys.ffm.FfmSyscalls;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The create side of the sync socket: every wait for the init has a bound. */
class SyncChannelTest {
    private final Syscalls sys = new FfmSyscalls();

    @Test
    void anInitThatSaysNothingIsReportedNotWaitedOnForever() throws Exception {
        int[] pair = sys.seqpacketPair();
        try (SyncChannel sync = new SyncChannel(sys, pair[0], 1000)) {
            JruncException e = assertThrows(JruncException.class, sync::expectPid);
            assertEquals("container init did not report \"pid\" within 1s", e.getMessage());
        } finally {
            sys.close(pair[1]);
        }
    }

    @Test
    void aMessageAlreadySentIsReadAndEofIsTheInitsExit() throws Exception {
        int[] pair = sys.seqpacketPair();
        try (SyncChannel sync = new SyncChannel(sys, pair[0], 1000)) {
            sys.write(pair[1], "pid 42".getBytes(StandardCharsets.US_ASCII));
            assertEquals(42, sync.expectPid());
            sys.close(pair[1]);
            pair[1] = -1;
            assertEquals("container init exited before it reported \"ready\"",
                    assertThrows(JruncException.class, sync::expectReady).getMessage());
        } finally {
            if (pair[1] >= 0) {
                sys.close(pair[1]);
            }
        }
    }
}
