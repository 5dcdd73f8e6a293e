package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.spec.model.IdMapping;
import dev.jrunc.spec.model.Namespace;
import dev.jrunc.spec.model.Process;
import dev.jrunc.spec.model.Spec;
import dev.jrunc.sys.IoErrors;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the uid/gid maps of a container's new user namespace. As root jrunc writes them itself.
 * Unprivileged (runc's RootlessEUID) the kernel lets a process map only its own id, once: a
 * single mapping of size 1 onto jrunc's euid (egid) is written directly, the gid one after
 * {@code deny} went to {@code setgroups} (the kernel requires it for an unprivileged gid_map;
 * setgroups(2) is then refused in the container); any other mapping goes through the setuid
 * helpers {@code newuidmap}/{@code newgidmap} (package uidmap), which check the ranges of
 * /etc/subuid and /etc/subgid.
 */
final class IdMaps {
    private IdMaps() {}

    /** True when the config asks for a new user namespace (one without a path). */
    static boolean newUserNamespace(Spec spec) {
        if (spec.linux() == null || spec.linux().namespaces() == null) {
            return false;
        }
        for (Namespace ns : spec.linux().namespaces()) {
            if (ns.type().equals("user") && (ns.path() == null || ns.path().isEmpty())) {
                return true;
            }
        }
        return false;
    }

    /** A single mapping of size 1 onto {@code id}: what an unprivileged process may write itself. */
    static boolean ownOnly(List<IdMapping> mappings, long id) {
        return mappings != null && mappings.size() == 1 && mappings.get(0).size() == 1 && mappings.get(0).hostID() == id;
    }

    /**
     * runc's setupUser: an unprivileged runtime never calls setgroups(2) in the container (the
     * caller's groups stay, as mapped), so additional gids are refused in runc's words.
     */
    static void checkNoAdditionalGroups(Process process, int euid) throws JruncException {
        if (euid != 0 && process != null && process.user() != null && process.user().additionalGids() != null
                && !process.user().additionalGids().isEmpty()) {
            throw new JruncException("cannot set any additional groups in a rootless container");
        }
    }

    /** Writes setgroups (when denied), uid_map, gid_map of pid, in runc's order. */
    static void write(Spec spec, int pid, int euid, long egid, RuntimeEnvironment env) throws JruncException {
        if (!newUserNamespace(spec)) {
            return;
        }
        List<IdMapping> uids = spec.linux().uidMappings();
        List<IdMapping> gids = spec.linux().gidMappings();
        if (euid == 0) {
            writeFile(env, pid, "uid_map", text(uids));
            writeFile(env, pid, "gid_map", text(gids));
            return;
        }
        boolean denySetgroups = ownOnly(gids, egid);
        if (denySetgroups) {
            writeFile(env, pid, "setgroups", "deny");
        }
        if (ownOnly(uids, euid)) {
            writeFile(env, pid, "uid_map", text(uids));
        } else {
            helper(env, "newuidmap", "newuid", pid, uids);
        }
        if (denySetgroups) {
            writeFile(env, pid, "gid_map", text(gids));
        } else {
            helper(env, "newgidmap", "newgid", pid, gids);
        }
    }

    static String text(List<IdMapping> mappings) {
        StringBuilder text = new StringBuilder();
        for (IdMapping m : mappings) {
            text.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return text.toString();
    }

    private static void writeFile(RuntimeEnvironment env, int pid, String file, String text) throws JruncException {
        try {
            Files.writeString(env.proc(pid, file), text);
        } catch (IOException e) {
            throw new JruncException("cannot write " + file + " of the container: " + IoErrors.reason(e), e);
        }
    }

    /** {@code newuidmap PID C H S...}; its stderr (which names the range refused) goes into the error, runc's words around it. */
    private static void helper(RuntimeEnvironment env, String tool, String what, int pid, List<IdMapping> mappings)
            throws JruncException {
        String path = lookPath(env.environment().get("PATH"), tool);
        if (path == null) {
            throw new JruncException("failed to use " + what + " map on " + pid + ": " + tool
                    + " not found in $PATH (install the uidmap package)");
        }
        List<String> argv = new ArrayList<>();
        argv.add(path);
        argv.add(Integer.toString(pid));
        for (IdMapping m : mappings) {
            argv.add(Long.toString(m.containerID()));
            argv.add(Long.toString(m.hostID()));
            argv.add(Long.toString(m.size()));
        }
        try {
            java.lang.Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            if (rc != 0) {
                throw new JruncException("failed to use " + what + " map on " + pid + ": " + (out.isEmpty() ? tool + " exited " + rc : out));
            }
        } catch (IOException e) {
            throw new JruncException("failed to use " + what + " map on " + pid + ": " + IoErrors.message(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("failed to use " + what + " map on " + pid + ": interrupted", e);
        }
    }

    private static String lookPath(String path, String name) {
        if (path == null || path.isEmpty()) {
            path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The effective gid, from /proc/self/status. */
    static long egid(RuntimeEnvironment env) {
        return dev.jrunc.state.ProcStatus.effectiveGid(env.procRoot());
    }
}
