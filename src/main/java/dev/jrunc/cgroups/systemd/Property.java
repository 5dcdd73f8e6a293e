package dev.jrunc.cgroups.systemd;

import dev.jrunc.dbus.Variant;
import java.util.List;

/** One unit property as StartTransientUnit and SetUnitProperties take it: {@code (sv)}. */
public record Property(String name, Variant value) {
    public static Property of(String name, String signature, Object value) {
        return new Property(name, new Variant(signature, value));
    }

    /** The {@code (sv)} struct on the wire. */
    List<Object> wire() {
        return List.of(name, value);
    }

    @Override
    public String toString() {
        Object v = value.value();
        String shown = v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v);
        return name + "=" + shown;
    }
}
