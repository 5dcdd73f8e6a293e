package dev.jrunc.runtime;

import dev.jrunc.spec.model.Process;
import dev.jrunc.spec.model.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Socket activation, as runc: when jrunc was started with {@code LISTEN_FDS=N} and
 * {@code LISTEN_PID} equal to its own pid (go-systemd's {@code activation.Files} rule), its fds
 * 3..3+N-1 reach the container as its fds 3..3+N-1, the {@code --preserve-fds} ones follow
 * them, and the process gets {@code LISTEN_FDS=N} and {@code LISTEN_PID=1}.
 */
final class ListenFds {
    private ListenFds() {}

    /** N, or 0 when LISTEN_FDS is unset, not a number, not positive, or LISTEN_PID is not {@code ownPid}. */
    static int count(Map<String, String> env, int ownPid) {
        String fds = env.get("LISTEN_FDS");
        if (fds == null || fds.isEmpty()) {
            return 0;
        }
        try {
            if (Integer.parseInt(env.getOrDefault("LISTEN_PID", "")) != ownPid) {
                return 0;
            }
            return Math.max(0, Integer.parseInt(fds));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * runc appends {@code LISTEN_FDS=N} and {@code LISTEN_PID=1} to process.env; its init then
     * sets each variable in order, so a name already in the config keeps its place with the
     * new value. The same result here.
     */
    static Spec setupSpec(Spec spec, int count) {
        Process p = spec.process();
        List<String> env = new ArrayList<>(p.env() == null ? List.of() : p.env());
        set(env, "LISTEN_FDS", Integer.toString(count));
        set(env, "LISTEN_PID", "1");
        Process process = new Process(p.terminal(), p.consoleSize(), p.user(), p.args(), p.commandLine(), env, p.cwd(),
                p.capabilities(), p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(), p.scheduler(),
                p.selinuxLabel(), p.ioPriority(), p.execCPUAffinity(), p.extra());
        return new Spec(spec.ociVersion(), process, spec.root(), spec.hostname(), spec.domainname(), spec.mounts(),
                spec.hooks(), spec.annotations(), spec.linux(), spec.extra());
    }

    private static void set(List<String> env, String name, String value) {
        boolean found = false;
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).startsWith(name + "=")) {
                if (found) {
                    env.remove(i--);
                } else {
                    env.set(i, name + "=" + value);
                    found = true;
                }
            }
        }
        if (!found) {
            env.add(name + "=" + value);
        }
    }
}
