package io.vencflow.operators.bench;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;

/**
 * The frames of one benchmark channel: a pool of distinct rendered pictures of the channel's
 * {@link SyntheticScene} (a second of motion), cycled. Frame i is picture {@code i % pool} with
 * sequence i and its own capture time, sharing the picture's pixel bytes, so producing a frame costs
 * nothing and both sides of the benchmark get exactly the same frames.
 */
final class FramePool {
    static final long FRAME_MICROS = 33_333;
    private final Frame[] pictures;

    FramePool(String channel, int width, int height, int size) {
        SyntheticScene scene = new SyntheticScene(channel, width, height, PixelFormat.I420);
        pictures = new Frame[size];
        for (int i = 0; i < size; i++) {
            pictures[i] = scene.render(i, 0);
        }
    }

    Frame frame(long sequence) {
        return pictures[(int) (sequence % pictures.length)].withSequence(sequence, sequence * FRAME_MICROS);
    }
}
