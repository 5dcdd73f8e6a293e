package dev.jrunc.runtime;

import dev.jrunc.log.Logger;
import dev.jrunc.spec.model.Linux;
import dev.jrunc.spec.model.Mount;
import dev.jrunc.spec.model.Namespace;
import dev.jrunc.spec.model.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The --debug lines of create, start and exec: what jrunc is about to do (namespaces made or
 * joined, mounts, cgroups, hooks) and what it got (pids), as runc's debug log tells someone
 * looking at a failing container. Only built when debug is on.
 */
final class DebugSteps {
    private DebugSteps() {}

    /** create: the bundle, every namespace (new or joined by path), every mount, the cgroup directories. */
    static void create(Logger log, String id, Path bundle, Path rootfs, Spec spec, Map<String, Path> cgroupDirs) {
        if (!log.debugEnabled()) {
            return;
        }
        log.debug("create " + id + ": bundle " + bundle + ", rootfs " + rootfs);
        Linux linux = spec.linux();
        List<String> ns = new ArrayList<>();
        if (linux != null && linux.namespaces() != null) {
            for (Namespace n : linux.namespaces()) {
                ns.add(n.path() == null || n.path().isEmpty() ? n.type() + " (new)" : n.type() + " (join " + n.path() + ")");
            }
        }
        log.debug("namespaces: " + (ns.isEmpty() ? "none (the host's)" : String.join(", ", ns)));
        if (spec.mounts() != null) {
            for (Mount m : spec.mounts()) {
                log.debug("mount " + m.source() + " on " + m.destination() + " type " + m.type()
                        + (m.options() == null || m.options().isEmpty() ? "" : " (" + String.join(",", m.options()) + ")"));
            }
        }
        cgroupDirs.forEach((k, v) -> log.debug("cgroup " + k + ": " + v));
    }

    /** exec: the namespaces joined by path. */
    static void exec(Logger log, String id, int initPid, Map<String, String> nsPaths) {
        if (log.debugEnabled()) {
            log.debug("exec into " + id + " (init pid " + initPid + "): joining " + nsPaths);
        }
    }

    /** A kind of hook about to run (none: no line): each hook's path, and where it runs. */
    static void hooks(Logger log, String kind, List<dev.jrunc.spec.model.Hook> hooks, String where) {
        if (!log.debugEnabled() || hooks == null || hooks.isEmpty()) {
            return;
        }
        List<String> paths = new ArrayList<>();
        for (dev.jrunc.spec.model.Hook h : hooks) {
            paths.add(h.path());
        }
        log.debug("running " + hooks.size() + " " + kind + " hook" + (hooks.size() == 1 ? "" : "s") + " (" + where + "): "
                + String.join(", ", paths));
    }
}
