package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One entry of {@code linux.devices}: a device node created in the container. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Device(
        String type,
        String path,
        Long major,
        Long minor,
        Integer fileMode,
        Long uid,
        Long gid,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Device {
        extra = Extra.of(extra);
    }
}
