package io.vencflow.connectors.sensor.internal;

import io.vencflow.connectors.internal.ChannelStream;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.SyntheticScene;

/** Renders one camera's {@link SyntheticScene} from the split's position on. */
public final class SceneStream implements ChannelStream<SensorSplit> {
    private final SensorSplit split;
    private final SyntheticScene scene;
    private long nextSequence;

    public SceneStream(SensorSplit split) {
        this.split = split;
        this.scene = new SyntheticScene(split.channel(), split.width(), split.height(), split.format(), split.noise());
        this.nextSequence = split.nextSequence();
    }

    @Override
    public String splitId() {
        return split.splitId();
    }

    @Override
    public Frame next() {
        if (!split.isEndless() && nextSequence >= split.endSequence()) {
            return null;
        }
        long seq = nextSequence++;
        return scene.render(seq, split.clockStartMicros() + seq * 1_000_000L / split.fps());
    }

    @Override
    public int fps() {
        return split.fps();
    }

    @Override
    public SensorSplit snapshot() {
        return split.at(nextSequence);
    }

    @Override
    public void close() {
    }
}
