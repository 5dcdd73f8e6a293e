package dev.jrunc.api;

import dev.jrunc.state.model.ContainerStatus;

/** One row of {@code jrunc list}: the container's state, with the owner of its state directory. */
public record ContainerListing(ContainerStatus status, String owner) {}
