package io.vencflow.operators;

import io.vencflow.core.frame.Frame;
import java.util.Objects;

/**
 * A frame the encoder operator could not encode, with the reason: its size or pixel format does not
 * match its channel's {@link io.vencflow.core.codec.EncoderConfig}, or no config serves its channel.
 * The channel keeps going; the frame comes out on {@link VideoEncoding#REJECTED_FRAMES}.
 *
 * <p>Immutable. The reason is at most {@value #MAX_REASON_CHARS} characters (longer ones are cut).
 */
public final class RejectedFrame {
    /** The longest reason kept. */
    public static final int MAX_REASON_CHARS = 1000;

    private final Frame frame;
    private final String reason;

    public RejectedFrame(Frame frame, String reason) {
        this.frame = Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason for rejecting " + frame + " is blank; say why it was rejected");
        }
        this.reason = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
    }

    public Frame frame() {
        return frame;
    }

    /** Why the frame was not encoded, naming the value and what was expected. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "RejectedFrame[" + frame + ": " + reason + "]";
    }
}
