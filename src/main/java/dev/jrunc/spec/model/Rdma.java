package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A {@code linux.resources.rdma} value: limits of one RDMA device. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rdma(
        Long hcaHandles,
        Long hcaObjects,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Rdma {
        extra = Extra.of(extra);
    }
}
