package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.JruncException;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The exec fifo poll of {@code start}. */
class LifecycleStartTest {
    private static final byte[] NOTHING = new byte[0];

    /** Reads in order: null stands for EAGAIN. */
    private static Lifecycle.FifoRead script(byte[]... reads) {
        ArrayDeque<byte[]> queue = new ArrayDeque<>();
        for (byte[] r : reads) {
            queue.add(r == null ? new byte[] {-1} : r);
        }
        return () -> {
            byte[] next = queue.isEmpty() ? NOTHING : queue.poll();
            if (next.length == 1 && next[0] == -1) {
                throw new ErrnoException("read", Errno.EAGAIN);
            }
            return next;
        };
    }

    @Test
    void aProcessThatExitedRightAfterTheFifoWasReleasedStillStarted() {
        // The first read finds nothing; right after it the init writes its byte, execs, and the
        // process exits: the init is dead from then on, but the byte in the fifo says it started.
        AtomicInteger reads = new AtomicInteger();
        Lifecycle.FifoRead fifo = script(null, new byte[] {'0'});
        Lifecycle.FifoRead counted = () -> {
            reads.incrementAndGet();
            return fifo.read();
        };
        assertDoesNotThrow(() -> Lifecycle.awaitStartByte(counted, () -> reads.get() == 0, 5_000));
        assertEquals(2, reads.get());
    }

    @Test
    void aDeadInitWithoutItsByteFailsTheStart() {
        JruncException e = assertThrows(JruncException.class,
                () -> Lifecycle.awaitStartByte(script(null, NOTHING), () -> false, 5_000));
        assertEquals("cannot start a container that has stopped", e.getMessage());
    }

    @Test
    void pollsUntilTheByteArrives() {
        assertDoesNotThrow(() -> Lifecycle.awaitStartByte(script(null, NOTHING, null, new byte[] {'0'}), () -> true, 5_000));
    }

    @Test
    void anotherReadErrorFails() {
        Lifecycle.FifoRead broken = () -> {
            throw new ErrnoException("read", Errno.EBADF);
        };
        JruncException e = assertThrows(JruncException.class, () -> Lifecycle.awaitStartByte(broken, () -> true, 5_000));
        assertTrue(e.getMessage().startsWith("cannot read exec fifo"), e.getMessage());
    }

    @Test
    void betweenReadsItWaitsWithThePauseItIsGiven() {
        // start passes a poll(2) of the fifo: the byte is read as soon as it comes, not after a sleep
        java.util.List<Long> pauses = new java.util.ArrayList<>();
        assertDoesNotThrow(() -> Lifecycle.awaitStartByte(script(NOTHING, null, null, new byte[] {'0'}), () -> true, 5_000,
                pauses::add));
        assertEquals(java.util.List.of(1L, 2L, 3L), pauses);
    }
}
