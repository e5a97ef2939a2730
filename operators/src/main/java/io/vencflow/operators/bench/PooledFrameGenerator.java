package io.vencflow.operators.bench;

import io.vencflow.core.frame.Frame;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The benchmark source's frames: index i is frame {@code i % frames} of channel {@code i / frames},
 * so each source split (a contiguous range of indexes, one per subtask) holds one whole channel, in
 * sequence order. A subtask renders its channel's pool on its first index, then waits at the start
 * line for the others.
 */
final class PooledFrameGenerator implements GeneratorFunction<Long, Frame> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final String[] channels;
    private final int width;
    private final int height;
    private final int framesPerChannel;
    private final int poolSize;
    private transient FramePool[] pools;
    private transient boolean started;

    PooledFrameGenerator(String runId, String[] channels, int width, int height, int framesPerChannel, int poolSize) {
        this.runId = runId;
        this.channels = channels.clone();
        this.width = width;
        this.height = height;
        this.framesPerChannel = framesPerChannel;
        this.poolSize = poolSize;
    }

    @Override
    public void open(SourceReaderContext context) {
        pools = new FramePool[channels.length];
    }

    @Override
    public Frame map(Long index) throws InterruptedException {
        int channel = (int) (index / framesPerChannel);
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
