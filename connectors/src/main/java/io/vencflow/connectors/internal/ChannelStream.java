package io.vencflow.connectors.internal;

import io.vencflow.core.frame.Frame;
import java.io.IOException;

/**
 * The frames of one channel split, read by one {@link PacedChannelReader}. Frames carry the stream's
 * own sequence and a synthetic capture clock ({@code clockStartMicros + sequence * 1e6 / fps}); a paced
 * reader restamps them with the wall clock. Not thread-safe.
 */
public interface ChannelStream<S extends OrderedSplit> extends AutoCloseable {
    /** The split id, which is the channel id. */
    String splitId();

    /** The next frame, or null when the stream has ended (a bounded split is done). */
    Frame next() throws IOException;

    /** Frames per second, for pacing. */
    int fps();

    /** The split as it stands: reading it again continues after the last frame {@link #next()} gave. */
    S snapshot();

    @Override
    void close() throws IOException;
}
