package io.vencflow.connectors.kafka;

import java.util.Objects;

/**
 * A frame-topic record that could not be decoded: where it is ({@code topic}, {@code partition},
 * {@code offset}, so it can be fetched again), its key as text (null when it had none), the reason
 * ({@code reason}: a {@link io.vencflow.core.wire.MalformedRecordException.Problem#id()} such as
 * {@code size_mismatch}) and a message naming the bad value. Immutable; the key and message are cut
 * to {@value #MAX_TEXT} characters.
 */
public record DeadLetter(String topic, int partition, long offset, String key, String reason, String message) {
    /** Keys and messages are cut to this many characters. */
    public static final int MAX_TEXT = 1000;

    public DeadLetter {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        key = key == null ? null : cut(key);
        message = cut(message);
    }

    private static String cut(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + topic + "-" + partition + "@" + offset + " key=" + key + " " + reason + ": " + message + "]";
    }
}
