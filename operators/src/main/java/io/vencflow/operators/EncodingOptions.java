package io.vencflow.operators;

import java.io.Serializable;

/**
 * How the keyed encoder waits for frames that arrive out of order and when it lets an idle channel
 * go. Immutable and serializable; {@link Builder#build()} checks every setting.
 *
 * <ul>
 *   <li>{@code latenessMs} (default {@value #DEFAULT_LATENESS_MS}): how long, in event time, a
 *       missing frame is waited for. Frames that arrive ahead of a missing one are buffered; once
 *       the watermark passes the first buffered frame's {@code ptsMicros} plus this much, the
 *       missing sequences are skipped (counted in {@code skippedGaps}) and the buffer is released
 *       in order. Needs watermarks on the frame stream (see {@link VideoEncoding#watermarks}); the
 *       end of a bounded input releases everything.
 *   <li>{@code reorderBufferFrames} (default {@value #DEFAULT_REORDER_BUFFER_FRAMES}): the most frames
 *       of one channel held back waiting for a missing one; one more skips the gap at once.
 *   <li>{@code idleTimeoutMs} (default {@value #DEFAULT_IDLE_TIMEOUT_MS}, 0 = never): a channel
 *       without frames for this long (processing time) has its buffer released and its encoder
 *       closed; its next frame opens a new encoder, which starts with an IDR.
 * </ul>
 */
public final class EncodingOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final long DEFAULT_LATENESS_MS = 500;
    public static final int DEFAULT_REORDER_BUFFER_FRAMES = 64;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

    public static final long MAX_LATENESS_MS = 3_600_000;
    public static final int MAX_REORDER_BUFFER_FRAMES = 4096;
    public static final long MAX_IDLE_TIMEOUT_MS = 7L * 24 * 3_600_000;

    private final long latenessMs;
    private final int reorderBufferFrames;
    private final long idleTimeoutMs;

    private EncodingOptions(Builder b) {
        this.latenessMs = b.latenessMs;
        this.reorderBufferFrames = b.reorderBufferFrames;
        this.idleTimeoutMs = b.idleTimeoutMs;
    }

    /** The defaults. */
    public static EncodingOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public long latenessMs() {
        return latenessMs;
    }

    public int reorderBufferFrames() {
        return reorderBufferFrames;
    }

    /** 0 means channels are never closed for being idle. */
    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodingOptions e && e.latenessMs == latenessMs
                && e.reorderBufferFrames == reorderBufferFrames && e.idleTimeoutMs == idleTimeoutMs;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(latenessMs) * 31 * 31 + reorderBufferFrames * 31 + Long.hashCode(idleTimeoutMs);
    }

    @Override
    public String toString() {
        return "EncodingOptions[lateness=" + latenessMs + "ms, reorderBuffer=" + reorderBufferFrames
                + " frames, idleTimeout=" + (idleTimeoutMs == 0 ? "never" : idleTimeoutMs + "ms") + "]";
    }

    /** Collects settings; {@link #build()} checks them all. */
    public static final class Builder {
        private long latenessMs = DEFAULT_LATENESS_MS;
        private int reorderBufferFrames = DEFAULT_REORDER_BUFFER_FRAMES;
        private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;

        private Builder() {
        }

        /** Event time a missing frame is waited for, 0..{@value EncodingOptions#MAX_LATENESS_MS} ms. */
        public Builder latenessMs(long latenessMs) {
            this.latenessMs = latenessMs;
            return this;
        }

        /** Frames held back per channel, 1..{@value EncodingOptions#MAX_REORDER_BUFFER_FRAMES}. */
        public Builder reorderBufferFrames(int frames) {
            this.reorderBufferFrames = frames;
            return this;
        }

        /** Processing time without frames before a channel's encoder is closed; 0 = never. */
        public Builder idleTimeoutMs(long idleTimeoutMs) {
            this.idleTimeoutMs = idleTimeoutMs;
            return this;
        }

        public EncodingOptions build() {
            if (latenessMs < 0 || latenessMs > MAX_LATENESS_MS) {
                throw new IllegalArgumentException("lateness " + latenessMs + " ms is out of range; expected 0.."
                        + MAX_LATENESS_MS + " ms");
            }
            if (reorderBufferFrames < 1 || reorderBufferFrames > MAX_REORDER_BUFFER_FRAMES) {
                throw new IllegalArgumentException("reorder buffer of " + reorderBufferFrames
                        + " frames is out of range; expected 1.." + MAX_REORDER_BUFFER_FRAMES
                        + " (each buffered frame is held in state)");
            }
            if (idleTimeoutMs < 0 || idleTimeoutMs > MAX_IDLE_TIMEOUT_MS) {
                throw new IllegalArgumentException("idle timeout " + idleTimeoutMs + " ms is out of range; expected 0 (never)"
                        + " or 1.." + MAX_IDLE_TIMEOUT_MS + " ms");
            }
            return new EncodingOptions(this);
        }
    }
}
