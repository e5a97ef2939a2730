package io.vencflow.connectors.file.internal;

import io.vencflow.connectors.internal.OrderedSplit;
import io.vencflow.core.frame.ChannelId;
import io.vencflow.core.frame.PixelFormat;
import java.io.Serializable;

/**
 * One clip replayed as one channel, and where the replay stands: {@code nextIndex} is the next frame's
 * place in the file, {@code loops} how often the clip has been replayed in full, {@code nextSequence}
 * the channel sequence of the next frame. {@code rawWidth}/{@code rawHeight}/{@code rawFormat} describe
 * a headerless file (0/0/null for Y4M). {@code endSequence} is exclusive, -1 for no bound. Immutable.
 */
public record ClipSplit(int ordinal, String channel, String path, int rawWidth, int rawHeight, PixelFormat rawFormat,
        int fps, boolean loop, long endSequence, long clockStartMicros, long nextIndex, long loops, long nextSequence)
        implements OrderedSplit, Serializable {

    public ClipSplit {
        ChannelId.check(channel);
    }

    @Override
    public String splitId() {
        return channel;
    }

    /** This split continued at another position. */
    public ClipSplit at(long index, long loopCount, long sequence) {
        return new ClipSplit(ordinal, channel, path, rawWidth, rawHeight, rawFormat, fps, loop, endSequence,
                clockStartMicros, index, loopCount, sequence);
    }
}
