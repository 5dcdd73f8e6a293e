package dev.jrunc.spec.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigInteger;

/**
 * (De)serializers for the spec's {@code uint64} fields (rlimits, seccomp argument values, cpu
 * shares and periods, ...), held in a Java {@code long} with unsigned meaning, so that
 * {@code 18446744073709551615} (RLIM_INFINITY, as podman writes it) reads and writes back exactly.
 */
public final class UInt64 {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private UInt64() {}

    public static final class Deserializer extends StdDeserializer<Long> {
        private static final long serialVersionUID = 1L;

        public Deserializer() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Long) ctx.handleUnexpectedToken(Long.class, p);
            }
            BigInteger value = p.getBigIntegerValue();
            if (value.signum() < 0 || value.compareTo(MAX) > 0) {
                throw ctx.weirdNumberException(value, Long.class, "not an unsigned 64-bit integer");
            }
            return value.longValue();
        }
    }

    public static final class Serializer extends StdSerializer<Long> {
        private static final long serialVersionUID = 1L;

        public Serializer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value >= 0) {
                gen.writeNumber(value.longValue());
            } else {
                gen.writeNumber(new BigInteger(Long.toUnsignedString(value)));
            }
        }
    }
}
