package dev.jrunc.state.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The runtime-spec statuses, plus runc's {@code paused}. */
public enum Status {
    CREATING,
    CREATED,
    RUNNING,
    STOPPED,
    PAUSED;

    @JsonValue
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
