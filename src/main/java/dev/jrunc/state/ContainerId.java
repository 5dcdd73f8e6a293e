package dev.jrunc.state;

import dev.jrunc.JruncException;
import java.util.regex.Pattern;

/** Container ids as runc accepts them: {@code ^[\w+.-]+$}, and never "." or "..". */
public final class ContainerId {
    private static final Pattern VALID = Pattern.compile("^[\\w+.-]+$");

    private ContainerId() {}

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /** Returns {@code id}, or fails with runc's message when it is not a valid container id. */
    public static String check(String id) throws JruncException {
        if (id == null || id.isEmpty()) {
            throw new JruncException("container id cannot be empty");
        }
        if (!isValid(id)) {
            throw new JruncException("invalid container ID format: " + id);
        }
        return id;
    }
}
