package dev.jrunc.cgroups.systemd;

/** GVariant text that runc's parser refuses; the message is its words. */
final class GVariantException extends Exception {
    private static final long serialVersionUID = 1L;

    GVariantException(String message) {
        super(message);
    }

    /** godbus's type error: {@code dbus: can't parse "5" as type "s"}. */
    static GVariantException type(String value, String sig) {
        return new GVariantException("dbus: can't parse " + GoQuote.of(value) + " as type " + GoQuote.of(sig));
    }
}
