package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Freezes and thaws a container's cgroup, as runc does: the v1 freezer controller
 * ({@code freezer.state}: write FROZEN or THAWED, then read it back until the kernel reports
 * the state reached), else, on a v2 hierarchy, {@code cgroup.freeze} (1 or 0) and
 * {@code cgroup.events} until it says {@code frozen 1} (or {@code frozen 0}).
 */
public final class Freezer {
    private static final int ATTEMPTS = 1000;
    private static final long SLEEP_MS = 10;

    private final Path dir;
    private final int version;

    private Freezer(Path dir, int version) {
        this.dir = dir;
        this.version = version;
    }

    /**
     * The freezer of a container whose cgroup directories are {@code cgroupPaths} (keyed by
     * hierarchy key): the v1 {@code freezer} hierarchy when there is one, else the v2 cgroup
     * when it has {@code cgroup.freeze}; null when the container has neither.
     */
    public static Freezer of(Map<String, String> cgroupPaths) {
        for (Map.Entry<String, String> e : cgroupPaths.entrySet()) {
            if (java.util.List.of(e.getKey().split(",")).contains("freezer")) {
                return new Freezer(Path.of(e.getValue()), 1);
            }
        }
        String unified = cgroupPaths.get("unified");
        if (unified != null && Files.exists(Path.of(unified, "cgroup.freeze"))) {
            return new Freezer(Path.of(unified), 2);
        }
        return null;
    }

    public Path dir() {
        return dir;
    }

    public int version() {
        return version;
    }

    /** True when the cgroup is frozen (v1: {@code FROZEN}; v2: {@code cgroup.freeze} is 1); false when it is gone. */
    public boolean frozen() {
        try {
            if (version == 1) {
                return Files.readString(dir.resolve("freezer.state")).trim().equals("FROZEN");
            }
            return Files.readString(dir.resolve("cgroup.freeze")).trim().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    /** Freezes the cgroup and waits until the kernel reports it frozen. */
    public void freeze() throws JruncException {
        set(true);
    }

    /** Thaws the cgroup and waits until the kernel reports it thawed. */
    public void thaw() throws JruncException {
        set(false);
    }

    private void set(boolean freeze) throws JruncException {
        try {
            if (version == 1) {
                setV1(freeze);
            } else {
                setV2(freeze);
            }
        } catch (IOException e) {
            throw new JruncException("cannot " + (freeze ? "freeze" : "thaw") + " cgroup " + dir + ": " + IoErrors.message(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while " + (freeze ? "freezing" : "thawing") + " cgroup " + dir);
        }
    }

    /**
     * v1: the kernel may stay in FREEZING while a task cannot be frozen yet; as runc does, the
     * write is repeated, and every 50 attempts the cgroup is thawed a moment to let stuck tasks
     * move on.
     */
    private void setV1(boolean freeze) throws IOException, InterruptedException, JruncException {
        Path state = dir.resolve("freezer.state");
        String want = freeze ? "FROZEN" : "THAWED";
        for (int i = 0; i < ATTEMPTS; i++) {
            if (freeze && i % 50 == 49) {
                Files.writeString(state, "THAWED");
                Thread.sleep(SLEEP_MS);
            }
            Files.writeString(state, want);
            String now = Files.readString(state).trim();
            if (now.equals(want)) {
                return;
            }
            Thread.sleep(SLEEP_MS);
        }
        if (freeze) {
            Files.writeString(state, "THAWED");
        }
        throw new JruncException("unable to " + (freeze ? "freeze" : "thaw") + " cgroup " + dir + ": the state stays "
                + Files.readString(state).trim());
    }

    private void setV2(boolean freeze) throws IOException, InterruptedException, JruncException {
        Files.writeString(dir.resolve("cgroup.freeze"), freeze ? "1" : "0");
        String want = "frozen " + (freeze ? "1" : "0");
        for (int i = 0; i < ATTEMPTS; i++) {
            for (String line : Files.readAllLines(dir.resolve("cgroup.events"))) {
                if (line.trim().equals(want)) {
                    return;
                }
            }
            Thread.sleep(SLEEP_MS);
        }
        if (freeze) {
            Files.writeString(dir.resolve("cgroup.freeze"), "0");
        }
        throw new JruncException("unable to " + (freeze ? "freeze" : "thaw") + " cgroup " + dir
                + ": cgroup.events never reported " + want);
    }
}
