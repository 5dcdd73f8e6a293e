package dev.jrunc;

/**
 * A failure to report to the user: its message is what runc would print for the same cause
 * (e.g. {@code container "x" does not exist}). The CLI prints it and exits 1.
 */
public class JruncException extends Exception {
    private static final long serialVersionUID = 1L;

    public JruncException(String message) {
        super(message);
    }

    public JruncException(String message, Throwable cause) {
        super(message, cause);
    }
}
