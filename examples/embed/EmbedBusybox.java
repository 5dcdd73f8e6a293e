import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.JruncException;
import dev.jrunc.api.Jrunc;
import dev.jrunc.runtime.CreateOptions;
import dev.jrunc.state.model.ContainerRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * jrunc embedded in a JVM program: makes a busybox bundle (from the host's static /bin/busybox),
 * then creates, starts, waits for and deletes a container through dev.jrunc.api.Jrunc, with no
 * jrunc process and no picocli. The container writes to this program's stdout (its stdio is ours).
 *
 * <p>usage: {@code EmbedBusybox --init PATH --native-lib PATH [--root DIR] [--id ID]}; examples/embed/run.sh
 * compiles and runs it against target/.
 */
public final class EmbedBusybox {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        Path init = null;
        Path lib = null;
        Path root = null;
        String id = "embed-" + ProcessHandle.current().pid();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--init" -> init = Path.of(args[i + 1]);
                case "--native-lib" -> lib = Path.of(args[i + 1]);
                case "--root" -> root = Path.of(args[i + 1]);
                case "--id" -> id = args[i + 1];
                default -> usage("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0) {
            usage("option " + args[args.length - 1] + " needs a value");
        }
        try {
            Class.forName("picocli.CommandLine");
            System.out.println("picocli: on the class path");
        } catch (ClassNotFoundException e) {
            System.out.println("picocli: not on the class path");
        }

        Jrunc jrunc = Jrunc.builder()
                .stateRoot(root)       // null: the CLI's default, /run/jrunc as root
                .initBinary(init)      // null: beside the running executable (not useful on a JVM)
                .nativeLibrary(lib)    // null: native/libjrunc.so beside jrunc.jar
                .build();
        Path bundle = Files.createTempDirectory("jrunc-embed");
        int exit;
        try {
            makeBundle(bundle);
            exit = runContainer(jrunc, id, bundle);
        } finally {
            deleteTree(bundle);
        }
        System.exit(exit);
    }

    private static int runContainer(Jrunc jrunc, String id, Path bundle) throws JruncException {
        ContainerRecord record = jrunc.create(id, CreateOptions.of(bundle));
        boolean deleted = false;
        try {
            say("created " + id + ", pid " + record.pid() + ", state " + jrunc.state(id).status().name().toLowerCase());
            record.cgroupPaths().values().forEach(p -> say("cgroup " + p));
            jrunc.start(id);
            say("started " + id);
            int status = jrunc.waitForExit(id, EXIT_TIMEOUT);
            say("exit status " + status + ", state " + jrunc.state(id).status().name().toLowerCase());
            jrunc.delete(id, false);
            deleted = true;
            say("deleted " + id);
            return 0;
        } catch (JruncException e) {
            System.err.println("embed: " + e.getMessage());
            return 1;
        } finally {
            if (!deleted) {
                try {
                    jrunc.delete(id, true); // kills the container if it still runs
                } catch (JruncException e) {
                    System.err.println("embed: cleanup: " + e.getMessage());
                }
            }
        }
    }

    /** rootfs/bin/busybox and a config.json: jrunc's default spec, running one shell command. */
    private static void makeBundle(Path bundle) throws IOException {
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        ObjectNode spec = (ObjectNode) Jrunc.defaultSpec(false, 0, 0);
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        process.putArray("args").add("sh").add("-c")
                .add("echo hello from busybox in $(busybox hostname), pid $$; exit 3");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("config.json").toFile(), spec);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void usage(String problem) {
        System.err.println("embed: " + problem);
        System.err.println("usage: EmbedBusybox --init PATH --native-lib PATH [--root DIR] [--id ID]");
        System.exit(2);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
