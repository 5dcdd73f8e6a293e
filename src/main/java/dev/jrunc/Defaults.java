package dev.jrunc;

/** Process-wide settings both entry points make before anything else runs. */
final class Defaults {
    static final String SLF4J_PROVIDER = "slf4j.provider";
    static final String SLF4J_NOP = "org.slf4j.helpers.NOP_FallbackServiceProvider";
    static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";

    private Defaults() {}

    /**
     * The schema validator logs through SLF4J, which without a provider prints a three-line
     * banner on stderr; jrunc's stderr is read by podman and containerd. Choose SLF4J's silent
     * provider unless the user chose one ({@code -Dslf4j.provider=...}); SLF4J 2.0.17 then still
     * prints "SLF4J(I): Attempting to load provider ..." unless its own verbosity is WARN.
     */
    static void apply() {
        if (System.getProperty(SLF4J_PROVIDER) == null) {
            System.setProperty(SLF4J_PROVIDER, SLF4J_NOP);
        }
        if (System.getProperty(SLF4J_VERBOSITY) == null) {
            System.setProperty(SLF4J_VERBOSITY, "WARN");
        }
    }
}
