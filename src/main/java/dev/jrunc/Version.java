package dev.jrunc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The versions jrunc reports: its own, the source commit it was built from, and the runtime-spec it implements. */
public final class Version {
    public static final String JRUNC = "0.1.0";
    public static final String OCI_SPEC = "1.3.0";
    /**
     * The source commit ({@code git describe --always --dirty} at build time, through Maven's
     * resource filtering of {@code dev/jrunc/version.properties}), else {@code unknown}. The native
     * image initialises this class at build time, so the value is in the image.
     */
    public static final String COMMIT = commit();

    private Version() {}

    /**
     * {@code --version} output, in runc's layout: podman and containerd show the first line,
     * dockerd parses the {@code commit:} line for {@code docker info}.
     */
    public static String banner() {
        return "jrunc version " + JRUNC + "\ncommit: " + COMMIT + "\nspec: " + OCI_SPEC + "\n";
    }

    private static String commit() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String c = p.getProperty("commit", "").strip();
            return c.isEmpty() || c.startsWith("${") ? "unknown" : c;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
