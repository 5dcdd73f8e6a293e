package dev.jrunc.spec.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code process.user}: who the process runs as. Absent members are {@code null}; unknown ones are kept in {@code extra}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record User(
        Long uid,
        Long gid,
        Long umask,
        List<Long> additionalGids,
        String username,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public User {
        extra = Extra.of(extra);
    }
}
