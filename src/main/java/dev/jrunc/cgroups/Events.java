package dev.jrunc.cgroups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrunc.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * runc's {@code events} lines ({@code {"type","id","data"}}, data left out when there is none)
 * and the polled OOM notification: v1 {@code memory.oom_control} ({@code oom_kill} grew, or
 * {@code under_oom 1} newly), v2 {@code memory.events} ({@code oom_kill} grew).
 */
public final class Events {
    private Events() {}

    public static String stats(String id, ObjectNode data) {
        return line("stats", id, data);
    }

    public static String oom(String id) {
        return line("oom", id, null);
    }

    private static String line(String type, String id, ObjectNode data) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("type", type);
        e.put("id", id);
        if (data != null) {
            e.set("data", data);
        }
        try {
            return Json.mapper().writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write JSON", ex);
        }
    }

    /**
     * Parses a Go duration ({@code 5s}, {@code 500ms}, {@code 1m30s}, {@code 1.5h}) into
     * milliseconds, as urfave/cli parses runc's {@code --interval}.
     */
    public static long parseDuration(String text) {
        String s = text;
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        double ms = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
            double value;
            try {
                value = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            double factor = switch (unit) {
                case "ns" -> 1e-6;
                case "us", "µs", "μs" -> 1e-3;
                case "ms" -> 1;
                case "s" -> 1e3;
                case "m" -> 60e3;
                case "h" -> 3600e3;
                case "" -> throw new IllegalArgumentException("time: missing unit in duration \"" + text + "\"");
                default -> throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            };
            ms += value * factor;
        }
        long result = (long) Math.ceil(ms);
        return negative ? -result : result;
    }

    /** Reports each new OOM of the container's memory cgroup once. */
    public static final class OomWatch {
        private final Path file;
        private final boolean v1;
        private long kills;
        private boolean underOom;

        public OomWatch(Map<String, String> cgroupPaths) {
            Path found = null;
            boolean isV1 = false;
            for (Map.Entry<String, String> e : cgroupPaths.entrySet()) {
                if (List.of(e.getKey().split(",")).contains("memory")) {
                    found = Path.of(e.getValue(), "memory.oom_control");
                    isV1 = true;
                }
            }
            if (found == null && cgroupPaths.containsKey("unified")) {
                found = Path.of(cgroupPaths.get("unified"), "memory.events");
            }
            this.file = found;
            this.v1 = isV1;
            fired(); // the present count is the baseline
        }

        /** True when an OOM happened since the last call. */
        public boolean fired() {
            if (file == null) {
                return false;
            }
            Map<String, Long> values = new java.util.HashMap<>();
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length == 2) {
                        values.put(f[0], Long.parseLong(f[1]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return false;
            }
            long nowKills = values.getOrDefault("oom_kill", 0L);
            boolean nowUnder = v1 && values.getOrDefault("under_oom", 0L) == 1;
            boolean fired = nowKills > kills || (nowUnder && !underOom);
            kills = nowKills;
            underOom = nowUnder;
            return fired;
        }
    }
}
