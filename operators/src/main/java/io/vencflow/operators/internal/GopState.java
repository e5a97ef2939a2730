package io.vencflow.operators.internal;

import java.util.Arrays;

/**
 * One channel's position in its stream, kept in Flink keyed state: the GOP count the operator stamps
 * on access units, the next sequence it expects, what its reorder buffer holds, and the sequences it
 * skipped (so a frame that arrives after its gap was skipped is told apart from a duplicate).
 *
 * <p>The operator's count is authoritative: a rebuilt encoder starts again at its own GOP 0, the
 * operator keeps counting. Mutable, used from the task thread only; {@link GopStateSerializer} is
 * its versioned serializer.
 */
public final class GopState {
    /** No sequence yet / no timer. */
    static final long NONE = -1;
    static final long NO_TIMER = Long.MIN_VALUE;
    /** Skipped ranges remembered; older ones raise the floor (everything below it counts as late). */
    static final int MAX_SKIPPED_RANGES = 16;

    long gopIndex = -1;
    int gopPosition;
    long nextSequence = NONE;
    long floorSequence = NONE;
    int bufferedCount;
    long bufferedMinSequence = NONE;
    long bufferedMinPtsMicros;
    long gapTimerMs = NO_TIMER;
    /** Pairs [from, to) of skipped sequences, oldest first. */
    long[] skipped = new long[0];

    GopState() {
    }

    /** A copy sharing nothing with this one. */
    GopState copy() {
        GopState c = new GopState();
        c.gopIndex = gopIndex;
        c.gopPosition = gopPosition;
        c.nextSequence = nextSequence;
        c.floorSequence = floorSequence;
        c.bufferedCount = bufferedCount;
        c.bufferedMinSequence = bufferedMinSequence;
        c.bufferedMinPtsMicros = bufferedMinPtsMicros;
        c.gapTimerMs = gapTimerMs;
        c.skipped = skipped.clone();
        return c;
    }

    /** Whether the channel knows where its stream starts. */
    boolean started() {
        return nextSequence != NONE;
    }

    /** The channel's stream starts at {@code sequence}; nothing before it will be encoded. */
    void start(long sequence) {
        nextSequence = sequence;
        floorSequence = sequence;
    }

    /**
     * Whether {@code sequence} (below {@link #nextSequence}) was accepted before: encoded or
     * rejected, rather than skipped or from before the known part of the stream.
     */
    boolean wasAccepted(long sequence) {
        if (sequence < floorSequence) {
            return false;
        }
        for (int i = 0; i < skipped.length; i += 2) {
            if (sequence >= skipped[i] && sequence < skipped[i + 1]) {
                return false;
            }
        }
        return true;
    }

    /** Sequences {@code [from, to)} will never be encoded; the stream continues at {@code to}. */
    void skip(long from, long to) {
        if (skipped.length / 2 == MAX_SKIPPED_RANGES) {
            floorSequence = skipped[1];
            skipped = Arrays.copyOfRange(skipped, 2, skipped.length);
        }
        skipped = Arrays.copyOf(skipped, skipped.length + 2);
        skipped[skipped.length - 2] = from;
        skipped[skipped.length - 1] = to;
        nextSequence = to;
    }

    /** Counts one encoded access unit; returns the GOP index to stamp on it. */
    long countAccessUnit(boolean keyframe) {
        if (keyframe) {
            gopIndex++;
            gopPosition = 0;
        } else if (gopIndex < 0) {
            throw new IllegalStateException("the encoder's first access unit is not an IDR");
        } else {
            gopPosition++;
        }
        return gopIndex;
    }

    public long gopIndex() {
        return gopIndex;
    }

    public int gopPosition() {
        return gopPosition;
    }

    public long nextSequence() {
        return nextSequence;
    }

    public int bufferedCount() {
        return bufferedCount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GopState s && s.gopIndex == gopIndex && s.gopPosition == gopPosition
                && s.nextSequence == nextSequence && s.floorSequence == floorSequence
                && s.bufferedCount == bufferedCount && s.bufferedMinSequence == bufferedMinSequence
                && s.bufferedMinPtsMicros == bufferedMinPtsMicros && s.gapTimerMs == gapTimerMs
                && Arrays.equals(s.skipped, skipped);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(gopIndex) * 31 + Long.hashCode(nextSequence);
    }

    @Override
    public String toString() {
        return "GopState[gop=" + gopIndex + "/" + gopPosition + " next=" + nextSequence + " floor=" + floorSequence
                + " buffered=" + bufferedCount + " (min " + bufferedMinSequence + ") timer=" + gapTimerMs
                + " skipped=" + Arrays.toString(skipped) + "]";
    }
}
