package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code root}: the container's root filesystem. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Root(
        String path,
        Boolean readonly,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Root {
        extra = Extra.of(extra);
    }
}
