package io.vencflow.core.wire;

import java.util.Locale;
import java.util.Objects;

/**
 * A record that is not in vencflow's wire format: what is wrong ({@link #problem()}, stable, for
 * counters and dead-letter routing) and a message that names the offending value and what was
 * expected.
 */
public final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What can be wrong with a record. */
    public enum Problem {
        /** No key, or an empty one: the key is the channel id. */
        MISSING_KEY,
        /** The key is not a valid channel id (1-64 of {@code [A-Za-z0-9._-]}, not {@code .} or {@code ..}). */
        INVALID_CHANNEL,
        /** A header the format requires is absent. */
        MISSING_HEADER,
        /** A header is not UTF-8 decimal text, or its number is out of range. */
        INVALID_HEADER,
        /** {@code vf-format} names no pixel format vencflow knows. */
        UNKNOWN_FORMAT,
        /** {@code vf-codec} is neither {@code h264} nor {@code h265}. */
        UNKNOWN_CODEC,
        /** Width and height cannot hold a frame of the format (e.g. odd for 4:2:0). */
        INVALID_DIMENSIONS,
        /** The value's length differs from what width, height and format need. */
        SIZE_MISMATCH,
        /** No value at all. */
        MISSING_VALUE,
        /** A NAL record's value is not one Annex-B access unit that agrees with its headers. */
        INVALID_ACCESS_UNIT;

        /** The lower-case name used in metrics and dead letters, e.g. {@code size_mismatch}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Problem problem;

    public MalformedRecordException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
