package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code linux.personality}: personality(2) domain and flags. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Personality(
        String domain,
        List<String> flags,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Personality {
        extra = Extra.of(extra);
    }
}
