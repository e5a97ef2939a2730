package io.vencflow.operators.bench;

import io.vencflow.core.frame.Frame;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The benchmark source's frames. Each source split is a contiguous range of {@code frames} indexes
 * (one split per subtask) and gives one whole channel in sequence order: index i is frame
 * {@code i % frames} of channel {@code i / frames}, or, when {@code bySubtask}, of the channel that
 * keyBy would send to this subtask ({@code channels[subtask]}), which makes the source partitioned
 * by channel. A subtask renders its channel's pool on its first index, then waits at the start line
 * for the others.
 */
final class PooledFrameGenerator implements GeneratorFunction<Long, Frame> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final String[] channels;
    private final int width;
    private final int height;
    private final int framesPerChannel;
    private final int poolSize;
    private final boolean bySubtask;
    private transient FramePool[] pools;
    private transient boolean started;
    private transient int subtask;

    PooledFrameGenerator(String runId, String[] channels, int width, int height, int framesPerChannel, int poolSize,
            boolean bySubtask) {
        this.runId = runId;
        this.bySubtask = bySubtask;
        this.channels = channels.clone();
        this.width = width;
        this.height = height;
        this.framesPerChannel = framesPerChannel;
        this.poolSize = poolSize;
    }

    @Override
    public void open(SourceReaderContext context) {
        pools = new FramePool[channels.length];
        subtask = context.getIndexOfSubtask();
    }

    @Override
    public Frame map(Long index) throws InterruptedException {
        int channel = bySubtask ? subtask : (int) (index / framesPerChannel);
        long sequence = index % framesPerChannel;
        if (pools[channel] == null) {
            pools[channel] = new FramePool(channels[channel], width, height, poolSize);
            if (!started) {
                started = true;
                RunClock.of(runId).arrive();
            }
        }
        return pools[channel].frame(sequence);
    }
}
