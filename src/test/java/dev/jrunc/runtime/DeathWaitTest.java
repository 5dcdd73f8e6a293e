package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrunc.sys.FakeSyscalls;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link DeathWait} without pidfds (the fake answers ENOSYS, as a kernel before 5.3): it polls. */
class DeathWaitTest {

    @Test
    void returnsOnceTheProcessIsGone() throws Exception {
        FakeSyscalls sys = new FakeSyscalls();
        AtomicInteger asked = new AtomicInteger();
        assertTrue(DeathWait.await(sys, 4242, () -> asked.incrementAndGet() < 4, 10_000));
        assertEquals(4, asked.get());
        assertEquals(1, sys.calls.get("pidfdOpen"));
    }

    @Test
    void givesUpAfterTheBound() throws Exception {
        FakeSyscalls sys = new FakeSyscalls();
        long t0 = System.nanoTime();
        assertFalse(DeathWait.await(sys, 4242, () -> true, 30));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "bounded");
    }

    @Test
    void aProcessAlreadyGoneIsNotWaitedFor() throws Exception {
        assertTrue(DeathWait.await(new FakeSyscalls(), 4242, () -> false, 0));
    }
}
