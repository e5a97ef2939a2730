package io.vencflow.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One record of vencflow's Kafka wire format, without Kafka classes: key, value and headers as bytes.
 * Made by {@link FrameRecords} and {@link NalRecords}, and by the Kafka connectors from a consumer
 * record (a header that repeats counts once, with its last value, as Kafka's {@code lastHeader}).
 *
 * <p>Ownership: the arrays are taken over and handed out without copies (a frame value is megabytes);
 * nobody changes them once they are in a record. {@code key} or {@code value} may be null as Kafka
 * allows, and decoding then says so.
 */
public record WireRecord(byte[] key, byte[] value, Map<String, byte[]> headers) {

    /**
     * @param headers header name to value, copied into an unmodifiable map in their order
     */
    public WireRecord {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    }

    /** The value of header {@code name}, or null when absent. */
    public byte[] header(String name) {
        return headers.get(name);
    }

    /** The key as text for messages and dead letters: UTF-8 with invalid bytes replaced, or null. */
    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** The value's length in bytes, 0 when null. */
    public int valueSize() {
        return value == null ? 0 : value.length;
    }

    @Override
    public String toString() {
        return "WireRecord[key=" + keyText() + ", " + valueSize() + " value bytes, headers=" + headers.keySet() + "]";
    }
}
