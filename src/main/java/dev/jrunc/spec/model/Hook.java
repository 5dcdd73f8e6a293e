package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** One hook: a program run with the container state on its stdin. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hook(
        String path,
        List<String> args,
        List<String> env,
        Integer timeout,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Hook {
        extra = Extra.of(extra);
    }
}
