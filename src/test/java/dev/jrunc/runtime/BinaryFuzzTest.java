package dev.jrunc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.KernelTest;
import dev.jrunc.cli.JruncBinary;
import dev.jrunc.json.Json;
import dev.jrunc.spec.SpecGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the executable under test (fewer cases than {@link InputFuzzTest}: each is a process):
 * {@code create} and {@code run} of mutated configs, {@code exec --process} of mutated
 * process.json into a created container, commands with odd ids, signals and flags, and a
 * container whose state.json was replaced by a mutation, then {@code delete --force}. Each run
 * must end within 20 s and print no Java class name or internal error; at the end nothing of
 * the fuzzed containers is left (state directories, cgroups, processes in them).
 * Seeded as {@link InputFuzzTest} ({@code -Djrunc.fuzz.seed}, {@code -Djrunc.fuzz.scale}).
 */
@KernelTest
class BinaryFuzzTest {
    private static final String[] COMMANDS = {"state", "kill", "delete", "start", "pause", "resume", "ps", "events", "update",
        "exec", "list", "run", "create", "spec", "features", "validate"};
    private static final String[] FLAGS = {"--force", "-f", "--all", "-a", "--format", "json", "--bundle", "--pid-file",
        "--console-socket", "--preserve-fds", "-1", "99999999999", "--no-pivot", "--detach", "-d", "--stats", "--interval",
        "0s", "-5s", "--root", "--log-format", "xml", "--", "-", "--cap", "CAP_NOPE", "--env", "=", "-u", "99999:x", "--cwd"};

    @TempDir
    Path tmp;

    private final String prefix = "fz" + ProcessHandle.current().pid() + "-";

    record Run(int exit, String output) {}

    /** One run of the executable, at most 20 s; its stdout and stderr together. */
    private Run jrunc(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(JruncBinary.command());
        cmd.add("--root");
        cmd.add(tmp.resolve("root").toString());
        cmd.addAll(args);
        Path out = tmp.resolve("out");
        Process p = new ProcessBuilder(cmd).directory(tmp.resolve("bundle").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return new Run(-1, "did not finish in 20 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1));
    }

    private void expectClean(String kind, int i, byte[] input, List<String> args, Run r) {
        String why = r.exit() == -1 ? "hung" : InputFuzzTest.badMessage(r.output().isEmpty() ? "-" : r.output());
        if (why != null) {
            InputFuzzTest.failCase("binary-" + kind, InputFuzzTest.SEED, i, input, why + " for jrunc " + String.join(" ", args)
                    + ":\n" + r.output(), null);
        }
    }

    @Test
    void commandsOnFuzzedInputLeaveNothing() throws Exception {
        System.out.println("BinaryFuzzTest seed " + InputFuzzTest.SEED + " (replay: -Djrunc.fuzz.seed=" + InputFuzzTest.SEED + ")");
        JsonMutator m = new JsonMutator(InputFuzzTest.SEED + 10);
        Random random = m.random();
        Path bundle = tmp.resolve("bundle");
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sleep"), Path.of("busybox"));
        Files.createSymbolicLink(bin.resolve("true"), Path.of("busybox"));
        ObjectNode base = (ObjectNode) SpecGenerator.defaultSpec();
        ((ObjectNode) base.get("process")).put("terminal", false).putArray("args").add("sleep").add("30");
        byte[] good = Json.mapper().writeValueAsBytes(base);
        List<String> ids = new ArrayList<>();
        String target = prefix + "target";
        ids.add(target);
        Files.write(bundle.resolve("config.json"), good);
        assertEquals(0, jrunc(List.of("create", target)).exit(), "the target container for exec and kill");
        int n = InputFuzzTest.cases(40);
        try {
            for (int i = 0; i < n; i++) {
                String id = prefix + i;
                ids.add(id);
                switch (i % 4) {
                    case 0 -> { // create (or run -d) a mutated config
                        byte[] input = m.mutate(base);
                        Files.write(bundle.resolve("config.json"), input);
                        List<String> args = List.of(random.nextBoolean() ? "create" : "run", "-d", id);
                        expectClean("config", i, input, args, jrunc(args));
                        Files.write(bundle.resolve("config.json"), good);
                    }
                    case 1 -> { // exec --process of a mutated process.json into the target
                        byte[] input = m.mutate(base.get("process"));
                        Path file = tmp.resolve("process.json");
                        Files.write(file, input);
                        List<String> args = List.of("exec", "-d", "--process", file.toString(), target);
                        expectClean("process", i, input, args, jrunc(args));
                    }
                    case 2 -> { // a command with odd ids, signals and flags
                        List<String> args = new ArrayList<>();
                        args.add(COMMANDS[random.nextInt(COMMANDS.length)]);
                        for (int k = random.nextInt(4); k > 0; k--) {
                            args.add(random.nextBoolean() ? FLAGS[random.nextInt(FLAGS.length)] : m.oddString().replace("\0", ""));
                        }
                        if (args.get(0).equals("run") || args.get(0).equals("create")) {
                            args.add("-d");
                        }
                        String which = random.nextInt(3) == 0 ? target : id;
                        if (args.get(0).equals("events") && which.equals(target) && !args.contains("--stats")) {
                            // events on a live container streams until it is gone, as runc's: a
                            // legitimate endless command, not a hang; one round of stats instead
                            args.add(1, "--stats");
                        }
                        args.add(which);
                        expectClean("flags", i, String.join("\n", args).getBytes(StandardCharsets.UTF_8), args, jrunc(args));
                    }
                    default -> { // a container whose state.json is replaced by a mutation
                        if (jrunc(List.of("create", id)).exit() == 0) {
                            Path state = tmp.resolve("root").resolve(id).resolve("state.json");
                            byte[] input = m.mutate(Json.mapper().readTree(state.toFile()));
                            Files.write(state, input);
                            for (List<String> args : List.of(List.of("state", id), List.of("list"), List.of("kill", id, "KILL"),
                                    List.of("delete", "--force", id))) {
                                expectClean("state", i, input, args, jrunc(args));
                            }
                        }
                    }
                }
            }
        } finally {
            for (String id : ids) {
                jrunc(List.of("delete", "--force", id));
            }
        }
        List<String> left = new ArrayList<>();
        for (String id : ids) {
            if (Files.exists(tmp.resolve("root").resolve(id))) {
                left.add("state directory of " + id);
            }
        }
        try (var walk = Files.walk(Path.of("/sys/fs/cgroup"), 4)) {
            walk.filter(p -> p.getFileName() != null && p.getFileName().toString().startsWith(prefix))
                    .forEach(p -> left.add("cgroup " + p));
        }
        assertEquals(List.of(), left, "left behind after fuzzing (seed " + InputFuzzTest.SEED + ")");
    }
}
