package io.vencflow.operators.testing;

import io.vencflow.core.codec.EncodedFrame;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Passes access units through and throws once, on the first attempt to pass one chosen access unit:
 * a task failure inside the job. Which runs have failed is kept in this JVM, so the restarted task
 * lets the same access unit through.
 */
public final class FailOnce implements MapFunction<EncodedFrame, EncodedFrame> {
    private static final long serialVersionUID = 1L;
    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    private final String token = UUID.randomUUID().toString();
    private final String channel;
    private final long sequence;

    public FailOnce(String channel, long sequence) {
        this.channel = channel;
        this.sequence = sequence;
    }

    /** Whether the failure has happened. */
    public boolean failed() {
        return FAILED.contains(token);
    }

    @Override
    public EncodedFrame map(EncodedFrame au) {
        if (au.channel().equals(channel) && au.sequence() == sequence && FAILED.add(token)) {
            throw new IllegalStateException("injected failure at " + au);
        }
        return au;
    }
}
