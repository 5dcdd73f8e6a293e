package dev.jrunc.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.api.RuntimeOptions;
import dev.jrunc.json.Json;
import dev.jrunc.log.Logger;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.state.StateStore;
import dev.jrunc.state.StatusResolver;
import dev.jrunc.sys.FakeSyscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A host for the orchestration without root: {@link FakeSyscalls} with a fake /proc, a cgroup v1
 * tree (pids, devices) in a temporary directory whose rmdir behaves as cgroupfs' (the files
 * the kernel would own go with the directory), a state root, a bundle, an executable standing for
 * jrunc-init, and a scripted init: on spawn it forks the container process, reports its pid,
 * exits, and the container reports what {@link #initSays} lists ("ready" by default).
 */
final class FakeHost {
    final Path root;
    final Path proc;
    final Path cgroups;
    final Path state;
    final Path bundle;
    final Path init;
    final FakeSyscalls sys;
    final StateStore store;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final RuntimeOptions options;
    final RuntimeEnvironment env;
    /** What the container process sends after its pid, in order; null entries: it exits there. */
    final List<String> initSays = new ArrayList<>(List.of("ready"));
    /** The exit code of each hook spawned, by path (0 when absent). */
    final Map<String, Integer> hookExit = new java.util.HashMap<>();
    /** Whether the scripted init reports its pid at all (false: it exits first). */
    boolean initReportsPid = true;
    /** Pids the scripted init made: the init, then the container process. */
    final List<Integer> processes = new ArrayList<>();

    FakeHost(Path root, Map<String, String> environment) {
        this.root = root;
        try {
            proc = Files.createDirectories(root.resolve("proc"));
            cgroups = Files.createDirectories(root.resolve("cgroup"));
            state = Files.createDirectories(root.resolve("state"));
            bundle = Files.createDirectories(root.resolve("bundle"));
            Files.createDirectories(bundle.resolve("rootfs"));
            init = root.resolve("jrunc-init");
            Files.writeString(init, "#!/bin/false\n");
            Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String h : List.of("pids", "devices")) {
                Files.createDirectories(cgroups.resolve(h));
            }
            Files.createDirectories(proc.resolve("self"));
            Files.writeString(proc.resolve("self/mountinfo"),
                    "30 25 0:26 / " + cgroups.resolve("pids") + " rw,relatime - cgroup cgroup rw,pids\n"
                    + "31 25 0:27 / " + cgroups.resolve("devices") + " rw,relatime - cgroup cgroup rw,devices\n");
            Files.writeString(proc.resolve("self/cgroup"), "5:pids:/\n4:devices:/\n");
            Files.writeString(proc.resolve("self/status"), "Name:\tjrunc\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sys = new FakeSyscalls(proc);
        store = new StateStore(state);
        options = new RuntimeOptions(state, false, false,
                new Logger(null, Logger.Format.TEXT, false, new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC()));
        env = new RuntimeEnvironment(init, environment, proc, FakeHost::cgroupfsRmdir);
        sys.onSpawn = child -> {
            if (child.path().startsWith("/proc/self/fd/")) {
                playInit(child);
            } else {
                sys.exitChild(child.pid(), hookExit.getOrDefault(child.path(), 0));
            }
        };
        writeConfig(config -> { });
    }

    /** rmdir on cgroupfs: the files in the directory are the kernel's and go with it; a subdirectory is EBUSY/ENOTEMPTY. */
    static void cgroupfsRmdir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path e : entries.toList()) {
                    if (!Files.isDirectory(e)) {
                        Files.delete(e);
                    }
                }
            }
        }
        Files.delete(dir);
    }

    private void playInit(FakeSyscalls.Spawned child) {
        int sync = child.envp().stream().filter(e -> e.startsWith("_JRUNC_SYNC_FD="))
                .map(e -> Integer.parseInt(e.substring("_JRUNC_SYNC_FD=".length()))).findFirst().orElseThrow();
        processes.add(child.pid());
        if (!initReportsPid) {
            sys.exitChild(child.pid(), 1);
            return;
        }
        int container = sys.fork(child.pid());
        processes.add(container);
        sys.childWrite(child.pid(), sync, "pid " + container);
        sys.exitChild(child.pid(), 0);
        for (String message : initSays) {
            if (message == null) {
                sys.exitChild(container, 1);
                return;
            }
            sys.childWrite(container, sync, message);
        }
    }

    /** The default config (runc spec) without a terminal, changed by {@code edit}. */
    void writeConfig(java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode config = SpecGenerator.defaultSpec();
        ((ObjectNode) config.get("process")).put("terminal", false);
        edit.accept(config);
        try {
            Files.writeString(bundle.resolve("config.json"), Json.mapper().writeValueAsString(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ContainerCreator creator() {
        return new ContainerCreator(options, env, store, sys);
    }

    Lifecycle lifecycle() {
        return new Lifecycle(options, env, store, new StatusResolver(env::procStat, r -> false), sys);
    }

    CreateOptions opts() {
        return new CreateOptions(bundle, null, null, false, false, 0);
    }

    /** Every directory of the cgroup tree below the hierarchies' roots. */
    List<Path> cgroupDirs() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String h : List.of("pids", "devices")) {
            try (Stream<Path> walk = Files.walk(cgroups.resolve(h))) {
                walk.filter(Files::isDirectory).filter(p -> !p.equals(cgroups.resolve(h))).forEach(out::add);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** The memfds still in the fake /proc (self/fd/N). */
    List<String> procFds() throws IOException {
        Path fd = proc.resolve("self/fd");
        if (!Files.isDirectory(fd)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(fd)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Nothing of the container left: no state, no cgroup directory, no process or zombie, no fd, no memfd. */
    String leftBehind(String id) throws IOException, dev.jrunc.JruncException {
        List<String> left = new ArrayList<>();
        if (Files.exists(store.dir(id))) {
            try (Stream<Path> walk = Files.walk(store.dir(id))) {
                left.add("state " + walk.map(Path::toString).toList());
            }
        }
        if (!cgroupDirs().stream().filter(p -> p.getFileName().toString().equals(id)).toList().isEmpty()) {
            left.add("cgroups " + cgroupDirs());
        }
        if (!sys.live.equals(java.util.Set.of(sys.pid))) {
            left.add("processes " + sys.live);
        }
        if (!sys.children().isEmpty()) {
            left.add("unreaped children " + sys.children());
        }
        if (!sys.openFds().isEmpty()) {
            left.add("fds " + sys.openFds().stream().map(fd -> fd + "=" + sys.describe(fd)).toList());
        }
        if (!procFds().isEmpty()) {
            left.add("memfds " + procFds());
        }
        return String.join("; ", left);
    }
}
