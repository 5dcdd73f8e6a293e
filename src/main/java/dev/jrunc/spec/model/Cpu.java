package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/** {@code linux.resources.cpu}. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cpu(
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long shares,
        Long quota,
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long burst,
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long period,
        Long realtimeRuntime,
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long realtimePeriod,
        String cpus,
        String mems,
        Long idle,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Cpu {
        extra = Extra.of(extra);
    }
}
