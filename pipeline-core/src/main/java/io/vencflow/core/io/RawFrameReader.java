package io.vencflow.core.io;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Headerless planar frames, one after the other, of one size and format. */
final class RawFrameReader implements FrameReader {
    private final Path path;
    private final FileChannel file;
    private final String channel;
    private final int width;
    private final int height;
    private final PixelFormat format;
    private final int fps;
    private final long startMicros;
    private final int frameSize;
    private final long frames;
    private long sequence;

    RawFrameReader(Path path, String channel, int width, int height, PixelFormat format, int fps, long startMicros)
            throws IOException {
        Frame.checkDimensions(width, height, format);
        if (fps < 1) {
            throw new IllegalArgumentException("fps " + fps + " is out of range; expected 1 or more");
        }
        this.path = path;
        this.channel = channel;
        this.width = width;
        this.height = height;
        this.format = format;
        this.fps = fps;
        this.startMicros = startMicros;
        this.frameSize = format.frameSize(width, height);
        this.file = FileChannel.open(path, StandardOpenOption.READ);
        long size = file.size();
        if (size == 0) {
            file.close();
            throw new IllegalArgumentException(path + " is empty; expected " + width + "x" + height + " " + format.id()
                    + " frames of " + frameSize + " bytes");
        }
        if (size % frameSize != 0) {
            file.close();
            throw new IllegalArgumentException(path + " has " + size + " bytes, not a whole number of " + width + "x"
                    + height + " " + format.id() + " frames of " + frameSize + " bytes: " + (size / frameSize)
                    + " frames and " + (size % frameSize) + " bytes left over (a truncated last frame, or the wrong "
                    + "size or format)");
        }
        this.frames = size / frameSize;
    }

    @Override
    public Frame next() throws IOException {
        byte[] pixels = new byte[frameSize];
        ByteBuffer buf = ByteBuffer.wrap(pixels);
        while (buf.hasRemaining()) {
            if (file.read(buf) < 0) {
                if (buf.position() == 0) {
                    return null;
                }
                throw new EOFException(path + ": frame " + sequence + " is truncated at " + buf.position() + " of "
                        + frameSize + " bytes");
            }
        }
        long seq = sequence++;
        return new Frame(channel, seq, startMicros + seq * 1_000_000L / fps, width, height, format, pixels);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public PixelFormat format() {
        return format;
    }

    @Override
    public int fps() {
        return fps;
    }

    @Override
    public long frameCount() {
        return frames;
    }

    @Override
    public void rewind() throws IOException {
        file.position(0);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
