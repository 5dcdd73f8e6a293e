package dev.jrunc.features.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** runtime-spec {@code features.json}: what this runtime implements, as {@code jrunc features} prints it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations",
        "potentiallyUnsafeConfigAnnotations"})
public record Features(
        String ociVersionMin,
        String ociVersionMax,
        List<String> hooks,
        List<String> mountOptions,
        LinuxFeatures linux,
        Map<String, String> annotations,
        List<String> potentiallyUnsafeConfigAnnotations) {}
