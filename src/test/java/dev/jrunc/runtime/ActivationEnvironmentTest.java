package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.plan.HostFacts;
import dev.jrunc.plan.Op;
import dev.jrunc.plan.PlanCompiler;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.spec.SpecReader;
import dev.jrunc.spec.model.Mount;
import dev.jrunc.spec.model.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What jrunc's own environment (LISTEN_FDS, NOTIFY_SOCKET) changes in the container, as runc. */
class ActivationEnvironmentTest {

    private static Spec spec(String... env) throws Exception {
        ObjectNode tree = SpecGenerator.defaultSpec();
        var array = ((ObjectNode) tree.get("process")).putArray("env");
        for (String e : env) {
            array.add(e);
        }
        return SpecReader.toSpec(tree);
    }

    @Test
    void listenFdsCountFollowsGoSystemdRules() {
        assertEquals(2, ListenFds.count(Map.of("LISTEN_FDS", "2", "LISTEN_PID", "77"), 77));
        assertEquals(0, ListenFds.count(Map.of("LISTEN_FDS", "2", "LISTEN_PID", "78"), 77), "another process's fds");
        assertEquals(0, ListenFds.count(Map.of("LISTEN_FDS", "2"), 77), "no LISTEN_PID");
        assertEquals(0, ListenFds.count(Map.of("LISTEN_FDS", "x", "LISTEN_PID", "77"), 77));
        assertEquals(0, ListenFds.count(Map.of("LISTEN_FDS", "-1", "LISTEN_PID", "77"), 77));
        assertEquals(0, ListenFds.count(Map.of(), 77));
    }

    @Test
    void listenFdsVariablesAreAppendedOrReplacedInPlace() throws Exception {
        assertEquals(List.of("PATH=/bin", "LISTEN_FDS=2", "LISTEN_PID=1"),
                ListenFds.setupSpec(spec("PATH=/bin"), 2).process().env());
        assertEquals(List.of("LISTEN_PID=1", "A=1", "LISTEN_FDS=3"),
                ListenFds.setupSpec(spec("LISTEN_PID=9", "A=1", "LISTEN_PID=8"), 3).process().env());
    }

    @Test
    void listenFdsComeBeforeThePreservedOnes() throws Exception {
        // 1 listen fd + --preserve-fds 2: fds 3, 4, 5 stay open, 6 up are closed at exec
        Spec s = ListenFds.setupSpec(spec("PATH=/bin"), 1);
        HostFacts host = new HostFacts(Path.of("/b"), Path.of("/b/rootfs"), false, false, 9, 1 + 2, true,
                List.of(new HostFacts.CgroupMount("", "cgroup2", "")));
        List<Op> ops = PlanCompiler.compile(s, host);
        assertEquals(new Op.CloseFds(6), ops.get(ops.size() - 2));
        assertEquals(List.of("PATH=/bin", "LISTEN_FDS=1", "LISTEN_PID=1"), ((Op.Exec) ops.getLast()).env());
    }

    @Test
    void notifySocketIsBoundReadOnlyIntoTheContainer() throws Exception {
        assertNull(NotifySocket.host(Map.of("NOTIFY_SOCKET", "")));
        assertEquals("/run/systemd/notify", NotifySocket.host(Map.of("NOTIFY_SOCKET", "/run/systemd/notify")));
        Spec s = NotifySocket.setupSpec(spec("PATH=/bin"), Path.of("/run/jrunc/c1"));
        assertEquals(List.of("PATH=/bin", "NOTIFY_SOCKET=/run/notify/notify.sock"), s.process().env());
        Mount last = s.mounts().getLast();
        assertEquals("/run/notify", last.destination());
        assertEquals("/run/jrunc/c1/notify", last.source());
        assertEquals(List.of("bind", "nosuid", "noexec", "nodev", "ro"), last.options());
        assertEquals(spec().mounts().size() + 1, s.mounts().size());
    }
}
