package dev.jrunc;

/** The versions jrunc reports: its own and the runtime-spec it implements. */
public final class Version {
    public static final String JRUNC = "0.1.0";
    public static final String OCI_SPEC = "1.3.0";

    private Version() {}

    /** {@code --version} output, in runc's layout (podman and containerd parse the first line). */
    public static String banner() {
        return "jrunc version " + JRUNC + "\nspec: " + OCI_SPEC + "\n";
    }
}
