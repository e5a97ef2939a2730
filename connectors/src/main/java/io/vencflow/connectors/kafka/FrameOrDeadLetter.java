package io.vencflow.connectors.kafka;

import io.vencflow.core.frame.Frame;
import java.util.Objects;

/**
 * What the frame source gives for each Kafka record: the decoded frame, or a dead letter saying why it
 * could not be decoded. Exactly one of the two is set. Immutable; split with
 * {@link KafkaVideo#decodeFrames}.
 */
public final class FrameOrDeadLetter {
    private final Frame frame;
    private final DeadLetter deadLetter;

    private FrameOrDeadLetter(Frame frame, DeadLetter deadLetter) {
        this.frame = frame;
        this.deadLetter = deadLetter;
    }

    public static FrameOrDeadLetter of(Frame frame) {
        return new FrameOrDeadLetter(Objects.requireNonNull(frame, "frame"), null);
    }

    public static FrameOrDeadLetter of(DeadLetter deadLetter) {
        return new FrameOrDeadLetter(null, Objects.requireNonNull(deadLetter, "deadLetter"));
    }

    public boolean isFrame() {
        return frame != null;
    }

    /** The frame; throws for a dead letter. */
    public Frame frame() {
        if (frame == null) {
            throw new IllegalStateException("not a frame: " + deadLetter);
        }
        return frame;
    }

    /** The dead letter; throws for a frame. */
    public DeadLetter deadLetter() {
        if (deadLetter == null) {
            throw new IllegalStateException("not a dead letter: " + frame);
        }
        return deadLetter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameOrDeadLetter other && Objects.equals(other.frame, frame)
                && Objects.equals(other.deadLetter, deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(frame, deadLetter);
    }

    @Override
    public String toString() {
        return frame != null ? frame.toString() : deadLetter.toString();
    }
}
