package dev.jrunc.cgroups;

import dev.jrunc.JruncException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exec --cgroup [<controller>[,<controller>...]:]<path>}: the existing sub-cgroups of the
 * container's cgroup an exec'd process joins, by runc's rules. On v1 (and hybrid) hosts each
 * argument names its controllers; a single argument without them means every hierarchy. On a
 * v2 host there is one argument, without controllers. A path is relative to the container's
 * cgroup (a leading "/" too) and must stay below it.
 */
public final class SubCgroups {
    /** The key of the cgroup v2 hierarchy in a container's cgroup paths. */
    private static final String UNIFIED = "unified";

    private SubCgroups() {
    }

    /** The arguments as controller → sub path; "" for the argument without controllers. Errors as runc words them. */
    public static Map<String, String> parse(List<String> args) throws JruncException {
        Map<String, String> paths = new LinkedHashMap<>();
        for (String arg : args) {
            int colon = arg.indexOf(':');
            if (colon < 0) {
                if (args.size() != 1) {
                    throw new JruncException("invalid --cgroup argument: " + arg + " (missing <controller>: prefix)");
                }
                paths.put("", arg);
                continue;
            }
            String sub = arg.substring(colon + 1);
            for (String controller : arg.substring(0, colon).split(",", -1)) {
                if (controller.isEmpty()) {
                    throw new JruncException("invalid --cgroup argument: " + arg + " (empty <controller> prefix)");
                }
                if (paths.containsKey(controller)) {
                    throw new JruncException("invalid --cgroup argument(s): controller " + controller + " specified multiple times");
                }
                paths.put(controller, sub);
            }
        }
        return paths;
    }

    /**
     * The directories the process joins: the container's own, with the sub paths applied.
     *
     * @param containerPaths the container's cgroup directories by controller ({@code unified} for v2)
     */
    public static Map<String, Path> resolve(Map<String, String> subPaths, Map<String, String> containerPaths)
            throws JruncException {
        boolean v2Only = containerPaths.size() == 1 && containerPaths.containsKey(UNIFIED);
        Map<String, Path> dirs = new LinkedHashMap<>();
        containerPaths.forEach((k, v) -> dirs.put(k, Path.of(v)));
        if (subPaths.isEmpty()) {
            return dirs;
        }
        for (Map.Entry<String, String> e : subPaths.entrySet()) {
            String controller = e.getKey();
            if (v2Only && !controller.isEmpty()) {
                throw new JruncException("invalid --cgroup argument: " + controller + ":" + e.getValue()
                        + " (<controller>: prefix is not supported on cgroup v2)");
            }
            if (!controller.isEmpty() && (controller.equals(UNIFIED) || !containerPaths.containsKey(controller))) {
                throw new JruncException("unknown controller " + controller + " in SubCgroupPaths");
            }
        }
        for (Map.Entry<String, String> e : subPaths.entrySet()) {
            String sub = below(e.getValue());
            if (e.getKey().isEmpty()) {
                dirs.replaceAll((k, dir) -> dir.resolve(sub));
            } else {
                dirs.put(e.getKey(), dirs.get(e.getKey()).resolve(sub));
            }
        }
        return dirs;
    }

    /** The sub path, relative and normalised; one that leaves the container's cgroup is an error. */
    private static String below(String sub) throws JruncException {
        String relative = sub.replaceFirst("^/+", "");
        Path p = Path.of(relative).normalize();
        if (p.startsWith("..")) {
            throw new JruncException(sub + " is not a sub cgroup path");
        }
        return p.toString();
    }
}
