package dev.jrunc.state.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.spec.model.Extra;
import dev.jrunc.spec.model.Hooks;
import java.util.Map;

/**
 * What jrunc keeps of a container in {@code <root>/<id>/state.json}: the init's pid with its
 * start time (to tell it from a later process that got the same pid), where the bundle is, the
 * phase the lifecycle reached, and what {@code delete} must undo.
 *
 * @param hooks the config's hooks, kept so that poststart and poststop run what create saw
 * @param phase {@code creating} until create finishes, {@code created} after; the live status
 *     is derived from this, the pid and the exec fifo (see {@code StatusResolver})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        Hooks hooks,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public ContainerRecord {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        cgroupPaths = cgroupPaths == null ? Map.of() : Map.copyOf(cgroupPaths);
        extra = Extra.of(extra);
    }
}
