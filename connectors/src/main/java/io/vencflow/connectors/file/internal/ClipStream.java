package io.vencflow.connectors.file.internal;

import io.vencflow.connectors.internal.ChannelStream;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.io.FrameReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Replays one clip as one channel from the split's position: skips to {@code nextIndex}, then reads on,
 * rewinding at the end when looping. Frames get the channel's own sequence and clock.
 */
public final class ClipStream implements ChannelStream<ClipSplit> {
    private final ClipSplit split;
    private final FrameReader reader;
    private long index;
    private long loops;
    private long sequence;

    public ClipStream(ClipSplit split) {
        this.split = split;
        try {
            this.reader = open(split);
            for (long i = 0; i < split.nextIndex(); i++) {
                if (reader.next() == null) {
                    reader.close();
                    throw new IOException(split.path() + " has only " + i + " frames, but the checkpoint of channel "
                            + split.channel() + " is at frame " + split.nextIndex() + ": was the file replaced?");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replay " + split.path() + " as channel " + split.channel(), e);
        }
        this.index = split.nextIndex();
        this.loops = split.loops();
        this.sequence = split.nextSequence();
    }

    /** Opens the split's file as its builder checked it. */
    public static FrameReader open(ClipSplit s) throws IOException {
        int[] size = s.rawFormat() == null ? null : new int[] {s.rawWidth(), s.rawHeight()};
        return FrameReader.open(Path.of(s.path()), s.channel(), size, s.rawFormat(), s.fps(), 0);
    }

    @Override
    public String splitId() {
        return split.splitId();
    }

    @Override
    public Frame next() throws IOException {
        if (split.endSequence() >= 0 && sequence >= split.endSequence()) {
            return null;
        }
        Frame f = reader.next();
        if (f == null) {
            if (!split.loop() || index == 0) {
                return null;
            }
            reader.rewind();
            loops++;
            index = 0;
            f = reader.next();
            if (f == null) {
                return null;
            }
        }
        index++;
        long seq = sequence++;
        return f.withSequence(seq, split.clockStartMicros() + seq * 1_000_000L / split.fps());
    }

    @Override
    public int fps() {
        return split.fps();
    }

    @Override
    public ClipSplit snapshot() {
        return split.at(index, loops, sequence);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
