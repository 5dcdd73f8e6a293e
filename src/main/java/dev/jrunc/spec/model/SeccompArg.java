package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/** A condition on one syscall argument. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeccompArg(
        Long index,
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long value,
        @JsonSerialize(using = UInt64.Serializer.class) @JsonDeserialize(using = UInt64.Deserializer.class) Long valueTwo,
        String op,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public SeccompArg {
        extra = Extra.of(extra);
    }
}
