package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One entry of {@code linux.resources.devices}: a device cgroup rule. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceRule(
        Boolean allow,
        String type,
        Long major,
        Long minor,
        String access,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public DeviceRule {
        extra = Extra.of(extra);
    }
}
