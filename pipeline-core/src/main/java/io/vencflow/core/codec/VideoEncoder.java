package io.vencflow.core.codec;

import io.vencflow.core.frame.Frame;

/**
 * Turns frames of one channel into access units. One frame in, one access unit out, in order: no
 * frame is held back (no B-frames, no lookahead delay).
 *
 * <p>Not thread-safe: one encoder serves one channel from one thread. After {@link #close()} every
 * method throws {@link IllegalStateException}. A frame of another size or pixel format than
 * configured is refused with {@link IllegalArgumentException} and the encoder stays usable.
 */
public interface VideoEncoder extends AutoCloseable {

    /** Opens an encoder for {@code config} on the backend it names ({@link Backend#AUTO} picks one). */
    static VideoEncoder open(EncoderConfig config) {
        return Backends.openEncoder(config);
    }

    /** Encodes one frame; the result carries the frame's channel, sequence and timestamp. */
    EncodedFrame encode(Frame frame);

    /** Makes the next encoded frame an IDR with parameter sets in front. */
    void requestKeyframe();

    /**
     * Changes the target (CBR) or cap (VBR) from the next frame on, without a new IDR; except where the
     * stream declares its rate: the {@code java} backend's CBR stream changes at its next IDR, whose
     * SPS declares the new rate, and FFmpeg's H.265 encoder reopens at an IDR. Refuses a rate outside
     * {@link EncoderConfig#MIN_BITRATE_BPS}..{@link EncoderConfig#MAX_BITRATE_BPS}.
     */
    void setBitrate(long bitrateBps);

    /** The config the encoder was opened with (bitrate as opened). */
    EncoderConfig config();

    /** The backend that actually encodes (never {@link Backend#AUTO}). */
    Backend backend();

    /** Frees the encoder's resources; closing twice is harmless. */
    @Override
    void close();
}
