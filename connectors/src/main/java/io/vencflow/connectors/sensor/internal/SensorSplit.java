package io.vencflow.connectors.sensor.internal;

import io.vencflow.connectors.internal.OrderedSplit;
import io.vencflow.core.frame.ChannelId;
import io.vencflow.core.frame.PixelFormat;

/**
 * One synthetic camera: its channel, picture settings, and its position, {@code nextSequence}, the
 * sequence of the next frame it renders. {@code endSequence} is exclusive, -1 for an endless camera.
 * {@code clockStartMicros} anchors the unpaced capture clock ({@code clockStartMicros + sequence * 1e6 /
 * fps}), so a restored camera keeps its timeline. Immutable.
 */
public record SensorSplit(int ordinal, String channel, int width, int height, PixelFormat format, int fps, int noise,
        long nextSequence, long endSequence, long clockStartMicros) implements OrderedSplit, java.io.Serializable {

    public SensorSplit {
        ChannelId.check(channel);
    }

    @Override
    public String splitId() {
        return channel;
    }

    public boolean isEndless() {
        return endSequence < 0;
    }

    /** This camera continued at {@code sequence}. */
    public SensorSplit at(long sequence) {
        return new SensorSplit(ordinal, channel, width, height, format, fps, noise, sequence, endSequence,
                clockStartMicros);
    }
}
