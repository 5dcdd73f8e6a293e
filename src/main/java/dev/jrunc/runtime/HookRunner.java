package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Hook;
import dev.jrunc.state.model.ContainerStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host-side hooks (prestart, createRuntime, poststart, poststop) as the runtime-spec
 * says: the hook's path with its args, exactly its env, the container's state JSON on stdin,
 * killed after {@code timeout} seconds. Its stdout and stderr are jrunc's.
 *
 * <p>Known difference from runc: the JDK starts a program with {@code argv[0]} equal to its path,
 * so a hook's {@code args[0]} is not passed as its argv[0].
 */
public final class HookRunner {
    private HookRunner() {}

    /** Runs each hook in order; the first failure stops the rest and is thrown. */
    public static void run(String phase, List<Hook> hooks, ContainerStatus state) throws JruncException {
        if (hooks == null) {
            return;
        }
        byte[] stdin;
        try {
            stdin = Json.mapper().writeValueAsBytes(state);
        } catch (IOException e) {
            throw new JruncException("cannot encode the state for " + phase + " hooks", e);
        }
        for (int i = 0; i < hooks.size(); i++) {
            runOne(phase, i, hooks.get(i), stdin);
        }
    }

    private static void runOne(String phase, int index, Hook hook, byte[] stdin) throws JruncException {
        List<String> command = new ArrayList<>();
        command.add(hook.path());
        if (hook.args() != null && hook.args().size() > 1) {
            command.addAll(hook.args().subList(1, hook.args().size()));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.clear();
        for (String entry : hook.env() == null ? List.<String>of() : hook.env()) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        String name = phase + " hook #" + index + " (" + hook.path() + ")";
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new JruncException("error running " + name + ": " + e.getMessage(), e);
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // a hook may exit without reading its stdin; its exit status decides
        }
        try {
            boolean done = hook.timeout() == null ? waitFor(p) : p.waitFor(hook.timeout(), TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor();
                throw new JruncException("error running " + name + ": timed out after " + hook.timeout() + "s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while running " + name);
        }
        if (p.exitValue() != 0) {
            throw new JruncException("error running " + name + ": exit status " + p.exitValue());
        }
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }

}
