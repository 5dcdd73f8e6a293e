package dev.jrunc.spec.validate;

import dev.jrunc.JruncException;
import java.util.List;

/** config.json was refused; every reason is in {@link #violations()}, the first in the message. */
public final class InvalidConfigException extends JruncException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    public InvalidConfigException(String file, List<Violation> violations) {
        super(summary(file, violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(String file, List<Violation> violations) {
        String first = "invalid " + file + ": " + violations.get(0);
        int more = violations.size() - 1;
        return more == 0 ? first : first + " (and " + more + " more; run 'jrunc validate' to list them)";
    }
}
