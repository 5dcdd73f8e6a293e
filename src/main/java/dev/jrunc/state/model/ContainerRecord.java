package dev.jrunc.state.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What jrunc keeps of a container in {@code <root>/<id>/state.json}: the init's pid with its
 * start time (to tell it from a later process that got the same pid), where the bundle is, the
 * phase the lifecycle reached, and what {@code delete} must undo. Read and written by
 * {@code StateCodec} with jackson-core's streaming API: {@code state}, {@code list}, {@code kill}
 * run on every container operation of an engine and must not pay for databind.
 *
 * @param phase {@code creating} until create finishes, {@code created} after; the live status
 *     is derived from this, the pid and the exec fifo (see {@code StatusResolver})
 * @param cgroupDriver the cgroup driver create chose ({@code dev.jrunc.cgroups.CgroupDriver}'s
 *     text); null in a record written before it was kept
 * @param extra members this version does not know, as raw JSON text, written back unchanged
 */
public record ContainerRecord(
        String ociVersion,
        String id,
        int pid,
        long pidStartTime,
        Status phase,
        String bundle,
        String rootfs,
        String created,
        Map<String, String> annotations,
        Map<String, String> cgroupPaths,
        boolean rootless,
        String cgroupDriver,
        Map<String, String> extra) {

    public ContainerRecord {
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
        cgroupPaths = cgroupPaths == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(cgroupPaths));
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** The same record in another phase. */
    public ContainerRecord withPhase(Status newPhase) {
        return new ContainerRecord(ociVersion, id, pid, pidStartTime, newPhase, bundle, rootfs, created, annotations,
                cgroupPaths, rootless, cgroupDriver, extra);
    }
}
