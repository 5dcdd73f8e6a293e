package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code process.ioPriority}: ioprio_set(2) class and level. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IoPriority(
        @JsonProperty("class") String ioClass,
        Integer priority,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public IoPriority {
        extra = Extra.of(extra);
    }
}
