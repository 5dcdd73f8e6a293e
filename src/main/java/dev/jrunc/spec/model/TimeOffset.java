package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A {@code linux.timeOffsets} value for the time namespace. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeOffset(
        Long secs,
        Long nanosecs,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public TimeOffset {
        extra = Extra.of(extra);
    }
}
