package io.vencflow.operators.internal;

import io.vencflow.core.frame.Frame;
import org.apache.flink.api.common.state.MapState;

/**
 * A channel's frames that arrived ahead of a missing one, in keyed {@link MapState} by sequence. The
 * count and the lowest buffered sequence (and its capture time, which sets the gap's deadline) are
 * kept in the channel's {@link GopState}, so the common path (nothing buffered) never touches the map.
 */
final class ReorderBuffer {
    private final MapState<Long, Frame> frames;

    ReorderBuffer(MapState<Long, Frame> frames) {
        this.frames = frames;
    }

    boolean contains(long sequence) throws Exception {
        return frames.contains(sequence);
    }

    void add(Frame frame, GopState s) throws Exception {
        frames.put(frame.sequence(), frame);
        s.bufferedCount++;
        if (s.bufferedMinSequence == GopState.NONE || frame.sequence() < s.bufferedMinSequence) {
            s.bufferedMinSequence = frame.sequence();
            s.bufferedMinPtsMicros = frame.ptsMicros();
        }
    }

    /** Removes and returns the frame of {@code sequence}, or null when it is not buffered. */
    Frame take(long sequence, GopState s) throws Exception {
        Frame f = frames.get(sequence);
        if (f != null) {
            frames.remove(sequence);
            s.bufferedCount--;
        }
        return f;
    }

    /** Finds the lowest buffered sequence again after frames were taken. */
    void refreshMin(GopState s) throws Exception {
        if (s.bufferedCount == 0) {
            s.bufferedMinSequence = GopState.NONE;
            s.bufferedMinPtsMicros = 0;
            return;
        }
        long min = Long.MAX_VALUE;
        for (Long seq : frames.keys()) {
            min = Math.min(min, seq);
        }
        s.bufferedMinSequence = min;
        s.bufferedMinPtsMicros = frames.get(min).ptsMicros();
    }
}
