package dev.jrunc.state.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The state of a container as {@code jrunc state} prints it: the runtime-spec state plus runc's
 * {@code rootfs}, {@code created} and {@code owner}, in runc's member order. {@code pid} is 0
 * once the container has stopped, as in runc.
 */
@JsonPropertyOrder({"ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner", "annotations"})
public record ContainerStatus(
        String ociVersion,
        String id,
        int pid,
        Status status,
        String bundle,
        String rootfs,
        String created,
        String owner,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations) {}
