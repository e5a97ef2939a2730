package io.vencflow.core.io;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;

/** A generated clip: {@code frames} frames of a synthetic scene. */
final class SyntheticFrameReader implements FrameReader {
    private final SyntheticScene scene;
    private final int fps;
    private final long frames;
    private final long startMicros;
    private long index;
    private long sequence;

    SyntheticFrameReader(String channel, int width, int height, PixelFormat format, int fps, long frames,
            long startMicros) {
        if (fps < 1) {
            throw new IllegalArgumentException("fps " + fps + " is out of range; expected 1 or more");
        }
        if (frames < 1) {
            throw new IllegalArgumentException("frames " + frames + " is out of range; expected 1 or more");
        }
        Frame.checkDimensions(width, height, format);
        this.scene = new SyntheticScene(channel, width, height, format);
        this.fps = fps;
        this.frames = frames;
        this.startMicros = startMicros;
    }

    @Override
    public Frame next() {
        if (index >= frames) {
            return null;
        }
        index++;
        long seq = sequence++;
        return scene.render(seq, startMicros + seq * 1_000_000L / fps);
    }

    @Override
    public int width() {
        return scene.width();
    }

    @Override
    public int height() {
        return scene.height();
    }

    @Override
    public PixelFormat format() {
        return scene.format();
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
    public void rewind() {
        index = 0;
    }

    @Override
    public void close() {
        // nothing held
    }
}
