package dev.jrunc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** runc's checkProcMount on the destinations of config.json, through the plan compiler. */
class ProcMountRuleTest {
    private static ObjectNode withMount(String destination, String type, String source, String... options) {
        ObjectNode tree = PlanCompilerTest.defaultTree();
        ObjectNode m = ((ArrayNode) tree.get("mounts")).addObject();
        m.put("destination", destination).put("type", type).put("source", source);
        ArrayNode o = m.putArray("options");
        for (String opt : options) {
            o.add(opt);
        }
        return tree;
    }

    private static List<Op> compile(ObjectNode tree) throws Exception {
        return PlanCompiler.compile(PlanCompilerTest.spec(tree), PlanCompilerTest.HOST);
    }

    private static String refused(ObjectNode tree) {
        return assertThrows(PlanException.class, () -> compile(tree)).getMessage();
    }

    @Test
    void aBindInsideProcIsRefusedInRuncsWords() {
        assertEquals("error mounting \"/src\" to rootfs at \"/proc/sys/kernel/core_pattern\": "
                        + "\"/run/bundle/rootfs/proc/sys/kernel/core_pattern\" cannot be mounted because it is inside /proc",
                refused(withMount("/proc/sys/kernel/core_pattern", "bind", "/src", "bind")));
    }

    @Test
    void anyTypeInsideProcIsRefusedAndTheDestinationIsCleanedFirst() {
        assertTrue(refused(withMount("/proc/sys", "tmpfs", "tmpfs")).endsWith("\"/run/bundle/rootfs/proc/sys\" cannot be mounted because it is inside /proc"));
        // written outside /proc, cleaned inside it
        assertTrue(refused(withMount("/tmp/../proc//sysrq-trigger", "bind", "/src", "rbind"))
                .endsWith("\"/run/bundle/rootfs/proc/sysrq-trigger\" cannot be mounted because it is inside /proc"));
        assertTrue(refused(withMount("/proc/self/attr/exec", "proc", "proc")).endsWith("cannot be mounted because it is inside /proc"));
    }

    @Test
    void atProcItselfOnlyAProcfs() throws Exception {
        assertTrue(refused(withMount("/proc", "tmpfs", "tmpfs")).endsWith("\"/run/bundle/rootfs/proc\" cannot be mounted because it is not of type proc"));
        assertTrue(refused(withMount("/proc/", "sysfs", "sysfs")).endsWith("cannot be mounted because it is not of type proc"));
        // a new procfs, as the default config; a bind is left to the init (it looks at the source)
        compile(withMount("/proc", "proc", "proc"));
        compile(withMount("/proc", "bind", "/proc", "rbind"));
    }

    @Test
    void theFilesLxcfsEmulatesMayBeCovered() throws Exception {
        for (String f : ProcMountRule.LXCFS_FILES) {
            List<Op> ops = compile(withMount(f, "bind", "/var/lib/lxcfs" + f, "bind"));
            assertTrue(ops.stream().anyMatch(op -> op instanceof Op.Mount mo && mo.target().equals(f)), f);
        }
        // but not what is beside or beneath them
        assertTrue(refused(withMount("/proc/cpuinfo2", "bind", "/src", "bind")).endsWith("inside /proc"));
        assertTrue(refused(withMount("/proc/net/dev/x", "bind", "/src", "bind")).endsWith("inside /proc"));
        assertTrue(refused(withMount("/proc/net", "bind", "/src", "bind")).endsWith("inside /proc"));
    }

    @Test
    void outsideProcNothingChanges() throws Exception {
        compile(withMount("/procfoo", "tmpfs", "tmpfs"));
        compile(withMount("/proc2", "proc", "proc"));
        compile(withMount("/srv/proc/sys", "bind", "/src", "bind"));
    }
}
