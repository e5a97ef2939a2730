package io.vencflow.core.io;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a clip's frames one by one from a raw planar file or a Y4M file. Frame i gets sequence i and
 * timestamp {@code startMicros + i * 1e6 / fps}. Not thread-safe.
 */
public interface FrameReader extends AutoCloseable {

    /**
     * Opens a clip: a {@code .y4m} file (size, rate and format from its header) or a raw planar file
     * of the given size and format.
     *
     * @param rawSize width and height of a raw file; ignored for Y4M
     * @param rawFormat pixel format of a raw file; ignored for Y4M
     * @param fps the frame rate; 0 means the Y4M header's rate, or 30 for a raw file
     * @throws IllegalArgumentException when the file does not hold whole frames of that size, naming it
     */
    static FrameReader open(Path path, String channel, int[] rawSize, PixelFormat rawFormat, int fps, long startMicros)
            throws IOException {
        if (Y4mFrameReader.isY4m(path)) {
            return new Y4mFrameReader(path, channel, fps, startMicros);
        }
        if (rawSize == null) {
            throw new IllegalArgumentException(path + " is not a Y4M file; a raw file needs its size (WxH)");
        }
        return new RawFrameReader(path, channel, rawSize[0], rawSize[1], rawFormat, fps == 0 ? 30 : fps, startMicros);
    }

    /**
     * A bounded clip of {@code frames} frames of a {@link io.vencflow.core.frame.SyntheticScene}: a
     * generated moving scene, for runs without a camera or a file.
     */
    static FrameReader synthetic(String channel, int width, int height, PixelFormat format, int fps, long frames,
            long startMicros) {
        return new SyntheticFrameReader(channel, width, height, format, fps, frames, startMicros);
    }

    /** The next frame, or null at the end of the clip. */
    Frame next() throws IOException;

    int width();

    int height();

    PixelFormat format();

    int fps();

    /** The number of frames in the clip, or -1 when unknown before reading it all. */
    long frameCount();

    /** Starts again from the first frame; sequences keep counting up. */
    void rewind() throws IOException;

    @Override
    void close() throws IOException;
}
