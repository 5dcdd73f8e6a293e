package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code linux.intelRdt}: resctrl settings. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntelRdt(
        String closID,
        String l3CacheSchema,
        String memBwSchema,
        List<String> schemata,
        Boolean enableMonitoring,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public IntelRdt {
        extra = Extra.of(extra);
    }
}
