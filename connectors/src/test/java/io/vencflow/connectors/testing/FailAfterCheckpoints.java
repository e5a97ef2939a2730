package io.vencflow.connectors.testing;

import io.vencflow.core.codec.EncodedFrame;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes access units through and throws once: at the first access unit of {@code channel} at or after
 * {@code sequence} that comes after this task has seen {@code checkpoints} checkpoints complete. So the
 * job restarts from a real checkpoint, not from the beginning. Which runs have failed is kept in this
 * JVM (the restarted task passes everything).
 */
public final class FailAfterCheckpoints implements MapFunction<EncodedFrame, EncodedFrame>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    private final String token = UUID.randomUUID().toString();
    private final String channel;
    private final long sequence;
    private final int checkpoints;
    private transient int completed;

    public FailAfterCheckpoints(String channel, long sequence, int checkpoints) {
        this.channel = channel;
        this.sequence = sequence;
        this.checkpoints = checkpoints;
    }

    public boolean failed() {
        return FAILED.contains(token);
    }

    @Override
    public EncodedFrame map(EncodedFrame au) {
        if (au.channel().equals(channel) && au.sequence() >= sequence && completed >= checkpoints && FAILED.add(token)) {
            throw new IllegalStateException("injected failure at " + au + " after " + completed + " checkpoints");
        }
        return au;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        completed++;
    }
}
