package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/** One entry of {@code process.rlimits}. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rlimit(
        String type,
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long hard,
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long soft,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Rlimit {
        extra = Extra.of(extra);
    }
}
