package dev.jrunc.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code jrunc exec}'s flags, as runc names them. Null or empty: not given.
 *
 * @param processFile    {@code --process}: a runtime-spec process JSON replacing everything below
 * @param args           the command and its arguments (after the container id)
 * @param cwd            {@code --cwd}
 * @param env            {@code --env}, appended to the config's env
 * @param user           {@code --user} {@code uid[:gid]}
 * @param additionalGids {@code --additional-gids}
 * @param caps           {@code --cap}, added to the config's bounding, effective, permitted (and ambient when inheritable is set)
 * @param noNewPrivs     {@code --no-new-privs}, null when not given
 * @param apparmor       {@code --apparmor}
 * @param processLabel   {@code --process-label}
 * @param tty            {@code --tty}, null when not given
 * @param detach         {@code --detach}
 * @param pidFile        {@code --pid-file}
 * @param preserveFds    {@code --preserve-fds}
 * @param ignorePaused   {@code --ignore-paused}
 * @param consoleSocket  {@code --console-socket}: receives the pty master of a detached exec with a terminal
 * @param cgroups        {@code --cgroup [<controller>:]<path>}: existing sub-cgroups to run the process in
 */
public record ExecOptions(Path processFile, List<String> args, String cwd, List<String> env, String user,
                          List<Long> additionalGids, List<String> caps, Boolean noNewPrivs, String apparmor,
                          String processLabel, Boolean tty, boolean detach, Path pidFile, int preserveFds,
                          boolean ignorePaused, String consoleSocket, List<String> cgroups) {
    public ExecOptions {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
        caps = caps == null ? List.of() : List.copyOf(caps);
        cgroups = cgroups == null ? List.of() : List.copyOf(cgroups);
    }
}
