package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code linux.resources.pids}. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pids(
        Long limit,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Pids {
        extra = Extra.of(extra);
    }
}
