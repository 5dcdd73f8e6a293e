package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.JruncException;
import dev.jrunc.api.ContainerListing;
import dev.jrunc.json.Json;
import dev.jrunc.plan.HostFacts;
import dev.jrunc.plan.PlanCompiler;
import dev.jrunc.plan.PlanException;
import dev.jrunc.plan.PlanWriter;
import dev.jrunc.plan.Security;
import dev.jrunc.process.Signals;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.spec.validate.ConfigValidator;
import dev.jrunc.state.ContainerId;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.StatusJson;
import dev.jrunc.state.StatusResolver;
import dev.jrunc.state.model.ContainerRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes every input jrunc parses, in process (thousands of cases in seconds): config.json as
 * {@code create} reads and compiles it, process.json as {@code exec --process} reads it,
 * state.json as {@code state}/{@code list} read it, container ids, signals. Each case must be
 * accepted or refused with a {@link JruncException} whose message names no Java class and is not
 * an internal error; anything else thrown fails the test.
 *
 * <p>Seeded: {@code -Djrunc.fuzz.seed=N} replays a run (the seed is printed), {@code
 * -Djrunc.fuzz.scale=F} multiplies the case counts. A failing case is written to
 * {@code target/fuzz-failures/} and named in the failure. Tagged {@code fuzz}: {@code make test}
 * and {@code make fuzz} run it, {@code make unit} (under a minute) does not.
 */
@Tag("fuzz")
class InputFuzzTest {
    static final long SEED = Long.getLong("jrunc.fuzz.seed", System.currentTimeMillis());
    private static final double SCALE = Double.parseDouble(System.getProperty("jrunc.fuzz.scale", "1"));
    private static final HostFacts HOST = new HostFacts(Path.of("/run/bundle"), Path.of("/run/bundle/rootfs"), false, false,
            12, 0, true, List.of(new HostFacts.CgroupMount("memory", "cgroup", "memory", "/sys/fs/cgroup/memory/jrunc/f")));

    @TempDir
    Path tmp;

    @BeforeAll
    static void printSeed() {
        System.out.println("InputFuzzTest seed " + SEED + " (replay: -Djrunc.fuzz.seed=" + SEED + ")");
    }

    static int cases(int n) {
        return Math.max(1, (int) (n * SCALE));
    }

    /** The message of a refusal: runc-like words, never a Java class name or an internal error. */
    static String badMessage(String m) {
        if (m == null || m.isBlank()) {
            return "an empty message";
        }
        for (String bad : new String[] {"java.", "Exception", "internal error", "StreamReadConstraints", "jackson"}) {
            if (m.contains(bad)) {
                return "a message with \"" + bad + "\"";
            }
        }
        return null;
    }

    /** Writes the failing input where it can be replayed and fails with the seed. */
    /** Where failing inputs go. */
    static Path failures = Path.of("target", "fuzz-failures");

    static void failCase(String kind, long seed, int i, byte[] input, String why, Throwable t) {
        Path dir = failures;
        Path file = dir.resolve(kind + "-" + seed + "-" + i + ".json");
        try {
            Files.createDirectories(dir);
            Files.write(file, input);
        } catch (java.io.IOException e) {
            file = Path.of("(not written: " + e + ")");
        }
        AssertionError e = new AssertionError(kind + " case " + i + " of seed " + seed + ": " + why + "; input in "
                + file.toAbsolutePath() + " (replay: -Djrunc.fuzz.seed=" + seed + ")", t);
        throw e;
    }

    private static void check(String kind, int i, byte[] input, Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof JruncException || t instanceof PlanException) {
            String why = badMessage(t.getMessage());
            if (why != null) {
                failCase(kind, SEED, i, input, why + ": " + t.getMessage(), t);
            }
            return;
        }
        failCase(kind, SEED, i, input, "threw " + t, t);
    }

    @Test
    void configJson() throws Exception {
        JsonMutator m = new JsonMutator(SEED);
        JsonNode base = SpecGenerator.defaultSpec();
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs"));
        int n = cases(3000);
        for (int i = 0; i < n; i++) {
            byte[] input = m.mutate(base);
            Files.write(bundle.resolve("config.json"), input);
            Throwable t = null;
            try {
                ConfigValidator.ValidConfig c = ConfigValidator.load(bundle);
                PlanWriter.encode(PlanCompiler.compile(c.spec(), HOST, Security.NONE, "fuzz"));
            } catch (Throwable e) {
                t = e;
            }
            check("config", i, input, t);
        }
    }

    @Test
    void processJson() throws Exception {
        JsonMutator m = new JsonMutator(SEED + 1);
        ObjectNode config = (ObjectNode) SpecGenerator.defaultSpec();
        ConfigValidator.ValidConfig valid;
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.write(bundle.resolve("config.json"), Json.mapper().writeValueAsBytes(config));
        valid = ConfigValidator.load(bundle);
        JsonNode base = config.get("process");
        Path file = tmp.resolve("process.json");
        int n = cases(1500);
        for (int i = 0; i < n; i++) {
            byte[] input = m.mutate(base);
            Files.write(file, input);
            ExecOptions o = new ExecOptions(file, null, null, null, null, null, null, null, null, null, null, true, null, 0,
                    false, null, null);
            Throwable t = null;
            try {
                Executor.process(config, valid.spec(), o);
            } catch (Throwable e) {
                t = e;
            }
            check("process", i, input, t);
        }
    }

    @Test
    void stateJson() throws Exception {
        JsonMutator m = new JsonMutator(SEED + 2);
        StateStore store = new StateStore(tmp.resolve("root"));
        store.create("c");
        store.create("other");
        ContainerRecord good = new ContainerRecord("1.3.0", "c", 4242, 17, dev.jrunc.state.model.Status.CREATED, "/b", "/b/rootfs",
                "2026-01-01T00:00:00Z", java.util.Map.of("a", "b"), java.util.Map.of("memory", "/sys/fs/cgroup/memory/jrunc/c"),
                false, "cgroupfs-v1", java.util.Map.of());
        store.save(good);
        Files.copy(store.dir("c").resolve("state.json"), store.dir("other").resolve("state.json"));
        JsonNode base = Json.mapper().readTree(Files.readAllBytes(store.dir("c").resolve("state.json")));
        Files.write(store.dir("other").resolve("state.json"), Json.mapper().writeValueAsBytes(((ObjectNode) base.deepCopy()).put("id", "other")));
        // the init is alive with the recorded start time half of the time
        StatusResolver statuses = new StatusResolver(pid -> Optional.empty(), r -> false);
        int n = cases(1500);
        for (int i = 0; i < n; i++) {
            byte[] input = m.mutate(base);
            Files.write(store.dir("c").resolve("state.json"), input);
            Throwable t = null;
            try {
                // state: the record or a refusal; list: the other container still listed
                try {
                    ContainerRecord r = store.load("c");
                    StatusJson.state(statuses.report(r, store.dir("c"), ""));
                } catch (JruncException e) {
                    check("state", i, input, e);
                }
                List<ContainerListing> rows = new java.util.ArrayList<>();
                for (String id : store.ids()) {
                    try {
                        store.find(id).ifPresent(r -> rows.add(new ContainerListing(statuses.report(r, tmp, ""), "root")));
                    } catch (JruncException e) {
                        check("state", i, input, e);
                    }
                }
                if (rows.stream().noneMatch(r -> r.status().id().equals("other"))) {
                    failCase("state", SEED, i, input, "list lost the other container", null);
                }
                StatusJson.list(rows);
            } catch (Throwable e) {
                t = e;
            }
            check("state", i, input, t);
        }
    }

    @Test
    void idsAndSignals() {
        JsonMutator m = new JsonMutator(SEED + 3);
        int n = cases(2000);
        for (int i = 0; i < n; i++) {
            String s = m.oddString() + (m.random().nextBoolean() ? m.oddString() : "");
            byte[] input = s.getBytes(StandardCharsets.UTF_8);
            Throwable t = null;
            try {
                ContainerId.check(s);
            } catch (Throwable e) {
                t = e;
            }
            check("id", i, input, t);
            t = null;
            try {
                Signals.parse(s);
            } catch (Throwable e) {
                t = e;
            }
            check("signal", i, input, t);
        }
    }

    @Test
    void theCheckCanFail() {
        Path saved = failures;
        failures = tmp;
        try {
            selfTest();
        } finally {
            failures = saved;
        }
    }

    private void selfTest() {
        byte[] input = "{}".getBytes(StandardCharsets.UTF_8);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> check("selftest", 0, input, new JruncException("internal error: nil pointer dereference")));
        if (!e.getMessage().contains("selftest case 0 of seed " + SEED)) {
            fail(e.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> check("selftest", 1, input, new NullPointerException()));
    }
}
