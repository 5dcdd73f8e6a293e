package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/** {@code process.consoleSize}: the pty's size in characters. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsoleSize(
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long height,
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long width,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public ConsoleSize {
        extra = Extra.of(extra);
    }
}
