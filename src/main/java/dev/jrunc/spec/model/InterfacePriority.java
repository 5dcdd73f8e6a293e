package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A net_prio priority of one interface. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InterfacePriority(
        String name,
        Long priority,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public InterfacePriority {
        extra = Extra.of(extra);
    }
}
