package dev.jrunc.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.JruncException;
import dev.jrunc.features.SupportedFeatures;
import dev.jrunc.features.model.Features;
import dev.jrunc.log.Logger;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.spec.validate.ConfigValidator;
import dev.jrunc.spec.validate.InvalidConfigException;
import dev.jrunc.spec.validate.Violation;
import dev.jrunc.runtime.ContainerCreator;
import dev.jrunc.runtime.CreateOptions;
import dev.jrunc.runtime.Lifecycle;
import dev.jrunc.runtime.RunSession;
import dev.jrunc.runtime.RuntimeEnvironment;
import dev.jrunc.state.StateStore;
import dev.jrunc.sys.Syscalls;
import dev.jrunc.state.StatusResolver;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.ContainerStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * jrunc as a library: what the CLI does, for a JVM program that embeds it. Each method does only
 * the work its command needs (no schema validator for {@link #state}, for instance).
 *
 * <pre>{@code
 * Jrunc jrunc = Jrunc.builder()
 *         .stateRoot(Path.of("/run/myapp"))
 *         .initBinary(Path.of("/opt/jrunc/jrunc-init"))
 *         .nativeLibrary(Path.of("/opt/jrunc/native/libjrunc.so"))
 *         .build();
 * jrunc.create("c1", CreateOptions.of(bundle));
 * jrunc.start("c1");
 * int status = jrunc.waitForExit("c1", Duration.ofSeconds(10));
 * jrunc.delete("c1", false);
 * }</pre>
 *
 * The jar needs jackson-databind, json-schema-validator (and what they depend on), never picocli:
 * only the command line ({@code dev.jrunc.cli}) uses it.
 */
public final class Jrunc {
    private final RuntimeOptions options;
    private final RuntimeEnvironment env;
    private final StateStore store;
    private final StatusResolver statuses;
    private final Syscalls sys;

    /** This process's environment ({@link RuntimeEnvironment#host()}). */
    public Jrunc(RuntimeOptions options, Syscalls sys) {
        this(options, RuntimeEnvironment.host(), sys);
    }

    public Jrunc(RuntimeOptions options, RuntimeEnvironment env, Syscalls sys) {
        this(options, env, new StatusResolver(env::procStat), sys);
    }

    public Jrunc(RuntimeOptions options, StatusResolver statuses, Syscalls sys) {
        this(options, RuntimeEnvironment.host(), statuses, sys);
    }

    public Jrunc(RuntimeOptions options, RuntimeEnvironment env, StatusResolver statuses, Syscalls sys) {
        this.options = options;
        this.env = env;
        this.store = new StateStore(options.root());
        this.statuses = statuses;
        this.sys = sys;
    }

    /** A builder whose defaults are the CLI's (no global flag given). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * jrunc's settings, each defaulting to what the CLI does without the matching flag. The
     * defaults are resolved at {@code build}, as runc resolves its flags: the state root depends
     * on the effective uid and on rootless.
     */
    public static final class Builder {
        private Path stateRoot;
        private Path initBinary;
        private Path nativeLibrary;
        private Logger logger = Logger.toStderr();
        private Rootless rootless = Rootless.AUTO;
        private boolean systemdCgroup;
        private StatusResolver statuses; // null: read from the environment's /proc

        private Builder() {}

        /** {@code --root}; default {@code /run/jrunc} as root, else {@code $XDG_RUNTIME_DIR/jrunc}. A relative path is made absolute. */
        public Builder stateRoot(Path stateRoot) {
            this.stateRoot = stateRoot;
            return this;
        }

        /** The {@code jrunc-init} executable; default: beside the running executable (the native jrunc's directory). */
        public Builder initBinary(Path initBinary) {
            this.initBinary = initBinary;
            return this;
        }

        /**
         * {@code libjrunc.so}, bound by {@link #build()} (the JVM's FFM binding); default:
         * {@code native/libjrunc.so} beside jrunc.jar, where {@code make} puts it.
         */
        public Builder nativeLibrary(Path nativeLibrary) {
            this.nativeLibrary = nativeLibrary;
            return this;
        }

        /** Where warnings (and the CLI's errors) go; default: runc's text lines on stderr, no debug. */
        public Builder logger(Logger logger) {
            this.logger = java.util.Objects.requireNonNull(logger, "logger");
            return this;
        }

        /** {@code --rootless}; default {@link Rootless#AUTO}: rootless when not root or in a user namespace. */
        public Builder rootless(Rootless rootless) {
            this.rootless = java.util.Objects.requireNonNull(rootless, "rootless");
            return this;
        }

        /** {@code --systemd-cgroup}; default false (the cgroupfs driver). */
        public Builder systemdCgroup(boolean systemdCgroup) {
            this.systemdCgroup = systemdCgroup;
            return this;
        }

        /** How a container's status is read; default: from /proc ({@link RuntimeEnvironment#procStat}). */
        public Builder statuses(StatusResolver statuses) {
            this.statuses = java.util.Objects.requireNonNull(statuses, "statuses");
            return this;
        }

        /**
         * jrunc on the JVM: binds {@link #nativeLibrary} through FFM (run the JVM with
         * {@code --enable-native-access=ALL-UNNAMED}). Not for the native image, where FFM is
         * unavailable: the CLI calls {@link #build(Syscalls)} with its entry point's binding.
         */
        public Jrunc build() throws JruncException {
            Syscalls binding;
            try {
                binding = new dev.jrunc.sys.ffm.FfmSyscalls(dev.jrunc.sys.ffm.FfmSyscalls.locateLibrary(nativeLibrary));
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new JruncException(e.getMessage(), e);
            }
            return build(binding);
        }

        /** jrunc over the given binding of the native calls (the CLI's entry point's; a fake in tests); {@link #nativeLibrary} is not used. */
        public Jrunc build(Syscalls binding) throws JruncException {
            String root = stateRoot == null ? null : stateRoot.toString();
            RuntimeEnvironment env = RuntimeEnvironment.host().withInitBinary(initBinary);
            RuntimeOptions options = RuntimeOptions.resolve(root, rootless, systemdCgroup, logger, binding.geteuid(),
                    env.environment());
            return statuses == null ? new Jrunc(options, env, binding) : new Jrunc(options, env, statuses, binding);
        }
    }

    public RuntimeOptions options() {
        return options;
    }

    /** What this jrunc reads of the host: the init binary, the environment, /proc. */
    public RuntimeEnvironment environment() {
        return env;
    }

    public StateStore store() {
        return store;
    }

    /** {@code jrunc state ID}. */
    public ContainerStatus state(String id) throws JruncException {
        ContainerRecord record = store.load(id);
        return statuses.report(record, store.dir(id), "");
    }

    /** {@code jrunc list}: every container under the root, by id; unreadable ones are skipped with a warning. */
    public List<ContainerListing> list() throws JruncException {
        List<ContainerListing> rows = new ArrayList<>();
        for (String id : store.ids()) {
            Optional<ContainerRecord> record;
            try {
                record = store.find(id);
            } catch (JruncException e) {
                options.logger().warn(e.getMessage());
                continue;
            }
            if (record.isEmpty()) {
                continue;
            }
            Path dir = store.dir(id);
            rows.add(new ContainerListing(statuses.report(record.get(), dir, ""), owner(dir)));
        }
        return rows;
    }

    private static String owner(Path dir) {
        try {
            return Files.getOwner(dir).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** {@code jrunc spec}: the default (or rootless) config.json for a bundle, not yet written (no state root needed, as runc). */
    public static JsonNode defaultSpec(boolean rootless, long uid, long gid) {
        return rootless ? SpecGenerator.rootlessSpec(uid, gid) : SpecGenerator.defaultSpec();
    }

    /** {@code jrunc validate}: every violation of the bundle's config.json; empty when valid. */
    public List<Violation> validate(Path bundle) throws JruncException {
        try {
            ConfigValidator.load(bundle);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.violations();
        }
    }

    /** {@code jrunc create}: validates, creates the container and leaves it waiting for {@code start}. */
    public ContainerRecord create(String id, CreateOptions opts) throws JruncException {
        warmUpCgroupMigration();
        return new ContainerCreator(options, env, store, sys).create(id, opts);
    }

    /** {@code jrunc start}; with NOTIFY_SOCKET in jrunc's environment it waits for the container's READY, as runc. */
    public void start(String id) throws JruncException {
        lifecycle().start(id, notifyHost());
    }

    private String notifyHost() {
        String host = env.environment().get("NOTIFY_SOCKET");
        return host == null || host.isEmpty() ? null : host;
    }

    /** {@code jrunc kill}. */
    public void kill(String id, int signal, boolean all) throws JruncException {
        lifecycle().kill(id, signal, all);
    }

    /** {@code jrunc pause}. */
    public void pause(String id) throws JruncException {
        lifecycle().pause(id);
    }

    /** {@code jrunc resume}. */
    public void resume(String id) throws JruncException {
        lifecycle().resume(id);
    }

    /** {@code jrunc ps}: the pids in the container's cgroup. */
    public List<Integer> processes(String id) throws JruncException {
        return lifecycle().processes(id);
    }

    /**
     * {@code jrunc events}: with {@code statsOnly} one stats event; else a stats event every
     * {@code intervalMs} and an oom event whenever the container's cgroup reports one (polled),
     * until the container's cgroup is removed (by {@code delete}), as runc's events ends when its
     * OOM notification channel closes; without a cgroup, until the container stops. Each event
     * goes to {@code sink} as runc's JSON line.
     */
    public void events(String id, boolean statsOnly, long intervalMs, java.util.function.Consumer<String> sink)
            throws JruncException {
        Lifecycle lifecycle = lifecycle();
        ContainerRecord record = lifecycle.watchable(id);
        dev.jrunc.cgroups.Stats stats = new dev.jrunc.cgroups.Stats(record.cgroupPaths());
        if (statsOnly) {
            sink.accept(dev.jrunc.cgroups.Events.stats(id, stats.collect()));
            return;
        }
        dev.jrunc.cgroups.Events.OomWatch oom = new dev.jrunc.cgroups.Events.OomWatch(record.cgroupPaths());
        long next = System.currentTimeMillis() + intervalMs;
        java.util.List<java.nio.file.Path> cgroupDirs = record.cgroupPaths().values().stream().map(java.nio.file.Path::of).toList();
        java.util.function.BooleanSupplier watching = cgroupDirs.isEmpty()
                ? () -> statuses.initAlive(record)
                : () -> cgroupDirs.stream().anyMatch(java.nio.file.Files::isDirectory);
        while (watching.getAsBoolean()) {
            if (oom.fired()) {
                sink.accept(dev.jrunc.cgroups.Events.oom(id));
            }
            long now = System.currentTimeMillis();
            if (now >= next) {
                sink.accept(dev.jrunc.cgroups.Events.stats(id, stats.collect()));
                next = now + intervalMs;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(100, next - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits at most {@code timeout} for the container's process to exit and reaps it: its exit
     * status (128+N for signal N). The process must be a child of this JVM, as it is when this
     * JVM created the container (the container's init is cloned with CLONE_PARENT); the
     * container is then stopped and may be deleted. Fails when the timeout passes first.
     */
    public int waitForExit(String id, java.time.Duration timeout) throws JruncException {
        ContainerRecord record = store.load(id);
        return new dev.jrunc.runtime.ExitWaiter(sys).await(id, record.pid(), timeout);
    }

    /** {@code jrunc delete}. */
    public void delete(String id, boolean force) throws JruncException {
        lifecycle().delete(id, force);
    }

    /**
     * {@code jrunc run}: create and start; detached, returns 0 at once; else waits for the process
     * and returns its exit status (128+N for signal N), then deletes the container unless {@code keep}.
     */
    public int run(String id, CreateOptions opts, boolean detach, boolean keep) throws JruncException {
        warmUpCgroupMigration();
        ContainerCreator.Created created = new ContainerCreator(options, env, store, sys).create(id, opts, true, detach);
        ContainerRecord record = created.record();
        RunSession session = new RunSession(sys, record.pid(), created.consoleMaster(), created.notifySocket(), notifyHost());
        try {
            if (!detach) {
                session.startTerminal();
            }
            try {
                lifecycle().start(id);
            } catch (JruncException e) {
                deleteQuietly(id);
                throw e;
            }
            if (detach) {
                session.relayDetached();
                return 0;
            }
            int status;
            try {
                status = session.waitForExit();
            } catch (JruncException e) {
                deleteQuietly(id);
                throw e;
            }
            if (!keep) {
                lifecycle().delete(id, true, created.hosts()); // mounts and own cgroups as create read them
            }
            return status;
        } finally {
            session.close();
        }
    }

    /** {@code jrunc exec}: the process's exit status in the foreground (128+N for signal N), 0 detached. */
    public int exec(String id, dev.jrunc.runtime.ExecOptions opts) throws JruncException {
        warmUpCgroupMigration();
        return new dev.jrunc.runtime.Executor(options, env, store, statuses, sys).exec(id, opts);
    }

    /**
     * create, run and exec move a process into cgroups; as root, the kernel's wait before the
     * first migration is paid on a thread meanwhile ({@link dev.jrunc.cgroups.MigrationWarmup}).
     */
    private void warmUpCgroupMigration() {
        if (sys.geteuid() == 0) {
            dev.jrunc.cgroups.MigrationWarmup.start(sys.getpid());
        }
    }

    private void deleteQuietly(String id) {
        try {
            delete(id, true);
        } catch (JruncException e) {
            options.logger().warn("cleanup: " + e.getMessage());
        }
    }

    /**
     * {@code jrunc update}: writes the given resources into the container's live cgroup (only
     * what they name) and merges them into the stored ones. A stopped container is refused.
     */
    public void update(String id, dev.jrunc.spec.model.Resources changes) throws JruncException {
        try (StateStore.ContainerLock lock = store.lock(id)) {
            ContainerRecord record = store.load(id);
            if (statuses.status(record, store.dir(id)) == dev.jrunc.state.model.Status.STOPPED) {
                throw new JruncException("container not running");
            }
            dev.jrunc.spec.model.Resources merged =
                    dev.jrunc.cgroups.ResourcesUpdate.merge(dev.jrunc.cgroups.ResourcesStore.load(store.dir(id)), changes);
            // the driver create chose writes the changes (v2: its device program made again, as runc's update does)
            dev.jrunc.cgroups.CgroupManagers.forRecord(sys, record, env.rmdir()).update(changes, merged, store.dir(id));
            dev.jrunc.cgroups.ResourcesStore.save(store.dir(id), merged);
        }
    }

    private Lifecycle lifecycle() {
        return new Lifecycle(options, env, store, statuses, sys);
    }

    /** {@code jrunc features}. */
    public Features features() {
        return SupportedFeatures.current(dev.jrunc.plan.Security.backend(sys));
    }
}
