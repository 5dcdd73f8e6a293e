package dev.jrunc.dbus;

/** A D-Bus variant ({@code v}): a value with its own single complete type signature. */
public record Variant(String signature, Object value) {
    public Variant {
        Signature.checkSingle(signature);
    }
}
