package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A per-device blkio weight. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WeightDevice(
        Long major,
        Long minor,
        Integer weight,
        Integer leafWeight,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public WeightDevice {
        extra = Extra.of(extra);
    }
}
