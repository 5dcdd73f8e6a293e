package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One entry of {@code linux.namespaces}: a new namespace, or one joined by path. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Namespace(
        String type,
        String path,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Namespace {
        extra = Extra.of(extra);
    }
}
