package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** One entry of {@code linux.seccomp.syscalls}. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeccompRule(
        List<String> names,
        String action,
        Long errnoRet,
        List<SeccompArg> args,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public SeccompRule {
        extra = Extra.of(extra);
    }
}
