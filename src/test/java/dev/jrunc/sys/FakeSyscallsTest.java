package dev.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    void passesFdsWithMessages() throws Exception {
        int file = sys.open("/run/console.sock");
        int[] pair = sys.seqpacketPair();
        sys.sendMessage(pair[0], new byte[] {'x'}, file);
        Syscalls.Message m = sys.recvMessage(pair[1], 16);
        assertEquals("/run/console.sock", sys.describe(m.fd()));
        sys.close(pair[0]);
        assertEquals(0, sys.recvMessage(pair[1], 16).data().length);
        sys.close(pair[1]);
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> sys.close(pair[1])).errno());
        assertNull(sys.describe(pair[1]));
    }

    @Test
    void theNthCallOfAKindFails() throws Exception {
        sys.failNth("memfdCreate", 2, Errno.ENOMEM);
        sys.memfdCreate("first");
        ErrnoException e = assertThrows(ErrnoException.class, () -> sys.memfdCreate("second"));
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals("memfd_create: cannot allocate memory", e.getMessage());
        sys.memfdCreate("third");
        assertEquals(3, sys.calls.get("memfdCreate"));
    }

    @Test
    void aSpawnedChildHoldsItsSocketAfterTheParentClosedIt() throws Exception {
        int[] pair = sys.seqpacketPair();
        sys.onSpawn = child -> {
            int forked = sys.fork(child.pid());
            sys.childWrite(child.pid(), 3, "pid " + forked);
        };
        int pid = sys.spawn("/init", List.of("init"), List.of(), new int[] {-1, -1, -1, pair[1]});
        sys.close(pair[1]);
        assertEquals("pid " + (pid + 1), string(sys.read(pair[0], 100)));
        sys.write(pair[0], bytes("continue")); // the child still holds its end
        sys.exitChild(pid, 0);
        sys.write(pair[0], bytes("continue")); // and the forked one
        sys.exitChild(pid + 1, 0);
        assertEquals(Errno.EPIPE, assertThrows(ErrnoException.class, () -> sys.write(pair[0], bytes("x"))).errno());
    }

    @Test
    void spawnRecordsTheChildAndWaitpidReportsItsEnd() throws Exception {
        int[] sync = sys.seqpacketPair();
        int pid = sys.spawn("/usr/libexec/jrunc-init", List.of("jrunc-init"), List.of("A=1"), new int[] {-1, -1, -1, sync[1]});
        FakeSyscalls.Spawned child = sys.spawned.get(0);
        assertEquals(pid, child.pid());
        assertEquals(List.of("jrunc-init"), child.argv());
        assertEquals(Arrays.asList(null, null, null, sys.describe(sync[1])), child.fds());
        assertTrue(sys.live.contains(pid));
        assertEquals(-1, sys.waitpid(pid, true));
        assertThrows(IllegalStateException.class, () -> sys.waitpid(pid, false));
        sys.exitChild(pid, 3);
        assertEquals(3 << 8, sys.waitpid(pid, false));
        assertEquals(Errno.ECHILD, assertThrows(ErrnoException.class, () -> sys.waitpid(pid, true)).errno());

        int killed = sys.spawn("/bin/sh", List.of("sh"), List.of(), new int[0]);
        sys.kill(killed, 9);
        assertEquals(9, sys.waitpid(killed, false));
        assertEquals(Errno.ECHILD, assertThrows(ErrnoException.class, () -> sys.waitpid(4242, true)).errno());
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class,
                () -> sys.spawn("/bin/sh", List.of("sh"), List.of(), new int[] {12345})).errno());
    }

    @Test
    void seqpacketKeepsMessagesStreamDoesNot() throws Exception {
        int[] seq = sys.seqpacketPair();
        sys.write(seq[0], bytes("one"));
        sys.write(seq[0], bytes("two-long"));
        assertEquals("one", string(sys.read(seq[1], 100)));
        assertEquals("two", string(sys.read(seq[1], 3)));
        assertThrows(IllegalStateException.class, () -> sys.read(seq[1], 100));
        sys.close(seq[0]);
        assertEquals(0, sys.read(seq[1], 100).length);
        assertEquals(Errno.EPIPE, assertThrows(ErrnoException.class, () -> sys.write(seq[1], bytes("x"))).errno());

    }

    @Test
    void memfdHoldsWhatWasWrittenUntilSealed() throws Exception {
        int fd = sys.memfdCreate("plan");
        assertEquals("/memfd:plan (deleted)", sys.describe(fd));
        sys.write(fd, bytes("the plan"));
        assertArrayEquals(bytes("the plan"), sys.memfdContents(fd));
        sys.sealMemfd(fd);
        assertEquals(Errno.EPERM, assertThrows(ErrnoException.class, () -> sys.write(fd, bytes("x"))).errno());
        assertEquals(Errno.EPERM, assertThrows(ErrnoException.class, () -> sys.sealMemfd(fd)).errno());
        int[] pair = sys.seqpacketPair();
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> sys.sealMemfd(pair[0])).errno());
    }

    @Test
    void fifosAndOpen() throws Exception {
        sys.mkfifo("/run/jrunc/c1/exec.fifo", 0622);
        assertEquals(0622, sys.fifos.get("/run/jrunc/c1/exec.fifo"));
        assertEquals(Errno.EEXIST, assertThrows(ErrnoException.class, () -> sys.mkfifo("/run/jrunc/c1/exec.fifo", 0622)).errno());
        int fd = sys.open("/run/jrunc/c1/exec.fifo", 010000000);
        assertEquals("/run/jrunc/c1/exec.fifo", sys.describe(fd));
        assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> sys.open("/nope", 0)).errno());
        assertEquals(0, sys.read(fd, 1).length);
        sys.fifoWrite("/run/jrunc/c1/exec.fifo", bytes("0"));
        assertEquals("0", string(sys.read(fd, 1)));
        sys.paths.add("/proc/self/exe");
        assertEquals("/proc/self/exe", sys.describe(sys.open("/proc/self/exe", 0)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
