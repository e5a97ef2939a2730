package io.vencflow.core.frame;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One raw picture of one channel, immutable and validated where it is made.
 *
 * <p>Ownership: the constructor takes the pixel array over without copying it (frames are large, a
 * 720p I420 frame is 1.38 MB); the caller must not change the array afterwards. Readers get a
 * read-only view through {@link #pixels()}.
 */
public final class Frame {
    /** The largest width or height a frame may have. */
    public static final int MAX_DIMENSION = 16384;

    private final String channel;
    private final long sequence;
    private final long ptsMicros;
    private final int width;
    private final int height;
    private final PixelFormat format;
    private final byte[] pixels;

    /**
     * @param channel the channel id (see {@link ChannelId})
     * @param sequence the position in the channel's stream, from 0, increasing
     * @param ptsMicros the capture time in microseconds since the Unix epoch
     * @param pixels tightly packed planes of {@code format}, taken over without a copy
     */
    public Frame(String channel, long sequence, long ptsMicros, int width, int height, PixelFormat format, byte[] pixels) {
        this.channel = ChannelId.check(channel);
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative; expected 0 or more");
        }
        this.sequence = sequence;
        this.ptsMicros = ptsMicros;
        this.format = Objects.requireNonNull(format, "format");
        checkDimensions(width, height, format);
        this.width = width;
        this.height = height;
        Objects.requireNonNull(pixels, "pixels");
        int expected = format.frameSize(width, height);
        if (pixels.length != expected) {
            throw new IllegalArgumentException("frame of channel " + channel + " has " + pixels.length + " bytes; a "
                    + width + "x" + height + " " + format + " frame has " + expected);
        }
        this.pixels = pixels;
    }

    /** Checks a size for a format, throwing with the offending value when it cannot hold a frame. */
    public static void checkDimensions(int width, int height, PixelFormat format) {
        if (width < 1 || width > MAX_DIMENSION) {
            throw new IllegalArgumentException("width " + width + " is out of range; expected 1.." + MAX_DIMENSION);
        }
        if (height < 1 || height > MAX_DIMENSION) {
            throw new IllegalArgumentException("height " + height + " is out of range; expected 1.." + MAX_DIMENSION);
        }
        if (format.isChromaSubsampled() && (width % 2 != 0)) {
            throw new IllegalArgumentException("width " + width + " is odd; " + format + " (4:2:0) needs even dimensions");
        }
        if (format.isChromaSubsampled() && (height % 2 != 0)) {
            throw new IllegalArgumentException("height " + height + " is odd; " + format + " (4:2:0) needs even dimensions");
        }
    }

    public String channel() {
        return channel;
    }

    public long sequence() {
        return sequence;
    }

    /** Capture time, microseconds since the Unix epoch. */
    public long ptsMicros() {
        return ptsMicros;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public PixelFormat format() {
        return format;
    }

    /** The number of pixel bytes. */
    public int size() {
        return pixels.length;
    }

    /** A read-only view of the pixel bytes, position 0, limit {@link #size()}. */
    public ByteBuffer pixels() {
        return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
    }

    /** One pixel byte; {@code index} in 0..size()-1. */
    public byte pixel(int index) {
        return pixels[index];
    }

    /** Copies the pixel bytes from {@code srcOffset} into {@code dst}. */
    public void copyPixels(int srcOffset, byte[] dst, int dstOffset, int length) {
        System.arraycopy(pixels, srcOffset, dst, dstOffset, length);
    }

    /** Writes the pixel bytes to {@code out} without an intermediate copy. */
    public void writePixelsTo(DataOutput out) throws IOException {
        out.write(pixels);
    }

    /** This frame with another sequence and timestamp, sharing the pixel bytes. */
    public Frame withSequence(long newSequence, long newPtsMicros) {
        return new Frame(channel, newSequence, newPtsMicros, width, height, format, pixels);
    }

    /** This frame under another channel id, sharing the pixel bytes. */
    public Frame withChannel(String newChannel) {
        return new Frame(newChannel, sequence, ptsMicros, width, height, format, pixels);
    }

    /** Package access for the converters, which read the planes in place. */
    byte[] array() {
        return pixels;
    }

    @Override
    public String toString() {
        return "Frame[" + channel + " #" + sequence + " pts=" + ptsMicros + "us " + width + "x" + height + " " + format + "]";
    }
}
