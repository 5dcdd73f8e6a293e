package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code linux.resources.network}: net_cls and net_prio. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Network(
        Long classID,
        List<InterfacePriority> priorities,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Network {
        extra = Extra.of(extra);
    }
}
