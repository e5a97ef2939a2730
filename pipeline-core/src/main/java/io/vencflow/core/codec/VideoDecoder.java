package io.vencflow.core.codec;

import io.vencflow.core.frame.Frame;
import java.util.List;

/**
 * Turns access units of one channel back into I420 frames, in display order. What the analytics side
 * and the tests use to check streams.
 *
 * <p>Each decoded frame carries the channel, sequence and timestamp of the access unit it came
 * from. Errors in the stream do not throw: they are counted in {@link #errors()} and decoding goes
 * on. Not thread-safe; after {@link #close()} every method throws {@link IllegalStateException}.
 */
public interface VideoDecoder extends AutoCloseable {

    /** A decoder on libavcodec where its natives load, else JCodec's (H.264 only). */
    static VideoDecoder open(Codec codec) {
        return Backends.openDecoder(codec, Backend.AUTO);
    }

    /** A decoder on a given backend ({@code ffmpeg}: H.264 and H.265; {@code jcodec}: H.264). */
    static VideoDecoder open(Codec codec, Backend backend) {
        return Backends.openDecoder(codec, backend);
    }

    /** Decodes one access unit; returns the frames that became ready (none, one, or more when reordering). */
    List<Frame> decode(EncodedFrame accessUnit);

    /** Returns the frames still held (at the end of a stream). */
    List<Frame> flush();

    /** Decode errors seen so far: rejected packets and frames marked corrupt. */
    long errors();

    /** The backend that decodes (never {@link Backend#AUTO}). */
    Backend backend();

    @Override
    void close();
}
