package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A {@code linux.netDevices} value: a host interface moved into the container. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetDevice(
        String name,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public NetDevice {
        extra = Extra.of(extra);
    }
}
