package dev.jrunc.runtime;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * This process's environment, read on first use. {@link System#getenv()} parses the whole
 * environment into a map the first time anything asks for a variable (about 0.15 ms of a native
 * {@code delete}, measured with perf), and most commands (state, kill, delete, list with
 * {@code --root}) read none.
 */
final class HostEnvironment extends AbstractMap<String, String> {
    private Map<String, String> variables;

    private Map<String, String> variables() {
        if (variables == null) {
            variables = System.getenv(); // unmodifiable
        }
        return variables;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return variables().entrySet();
    }

    @Override
    public String get(Object name) {
        return variables().get(name);
    }

    @Override
    public boolean containsKey(Object name) {
        return variables().containsKey(name);
    }
}
