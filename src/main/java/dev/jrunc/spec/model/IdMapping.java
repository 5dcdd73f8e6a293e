package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A uid or gid range mapped between the container and the host. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdMapping(
        Long containerID,
        Long hostID,
        Long size,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public IdMapping {
        extra = Extra.of(extra);
    }
}
