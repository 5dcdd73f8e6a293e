package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code process.execCPUAffinity}: CPU lists before and after execve. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CpuAffinity(
        String initial,
        @JsonProperty("final") String finalAffinity,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public CpuAffinity {
        extra = Extra.of(extra);
    }
}
