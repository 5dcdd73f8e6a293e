package dev.jrunc.plan;

/** A config that cannot be compiled into a plan: the message says which member and why. */
public final class PlanException extends Exception {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
