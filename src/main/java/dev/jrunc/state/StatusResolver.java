package dev.jrunc.state;

import dev.jrunc.cgroups.Freezer;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.ContainerStatus;
import dev.jrunc.state.model.Status;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Derives a container's live status from its record, as runc does: stopped when the init is
 * gone (or its pid now belongs to another process, told by its start time, or it is a zombie);
 * paused while its cgroup is frozen; created while the exec fifo exists; otherwise running.
 */
public final class StatusResolver {
    private final IntFunction<Optional<ProcStat>> procStat;
    private final Predicate<ContainerRecord> frozen;

    public StatusResolver() {
        this(ProcStat::read);
    }

    public StatusResolver(IntFunction<Optional<ProcStat>> procStat) {
        this(procStat, StatusResolver::freezerFrozen);
    }

    /** @param frozen whether the container's cgroup is frozen (paused) */
    public StatusResolver(IntFunction<Optional<ProcStat>> procStat, Predicate<ContainerRecord> frozen) {
        this.procStat = procStat;
        this.frozen = frozen;
    }

    private static boolean freezerFrozen(ContainerRecord record) {
        Freezer freezer = Freezer.of(record.cgroupPaths());
        return freezer != null && freezer.frozen();
    }

    public Status status(ContainerRecord record, Path stateDir) {
        if (record.phase() == Status.CREATING) {
            return Status.CREATING;
        }
        if (!initAlive(record)) {
            return Status.STOPPED;
        }
        if (frozen.test(record)) {
            return Status.PAUSED;
        }
        if (Files.exists(stateDir.resolve(StateStore.EXEC_FIFO), LinkOption.NOFOLLOW_LINKS)) {
            return Status.CREATED;
        }
        return Status.RUNNING;
    }

    public boolean initAlive(ContainerRecord record) {
        return procStat.apply(record.pid())
                .filter(stat -> !stat.exited() && stat.startTime() == record.pidStartTime())
                .isPresent();
    }

    /** What {@code state} prints; {@code owner} is empty there, as in runc. */
    public ContainerStatus report(ContainerRecord record, Path stateDir, String owner) {
        Status status = status(record, stateDir);
        return snapshot(record, status, status == Status.STOPPED ? 0 : record.pid(), owner);
    }

    /** The record seen as a container in {@code status} with {@code pid}: the state {@code state} prints and hooks read. */
    public static ContainerStatus snapshot(ContainerRecord record, Status status, int pid, String owner) {
        return new ContainerStatus(record.ociVersion(), record.id(), pid, status, record.bundle(), record.rootfs(),
                record.created(), owner, record.annotations());
    }
}
