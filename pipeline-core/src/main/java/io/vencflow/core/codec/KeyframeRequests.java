package io.vencflow.core.codec;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JVM-wide board of channels whose encoder should make its next frame an IDR: how a consumer in
 * one part of a job (an RTSP client joining) reaches the channel's encoder in another part running in
 * the same JVM (a Flink TaskManager, or a local run). Thread-safe; {@link #request} never blocks.
 */
public final class KeyframeRequests {
    private static final Set<String> PENDING = ConcurrentHashMap.newKeySet();

    private KeyframeRequests() {
    }

    /** Asks for an IDR on {@code channel}'s next frame. */
    public static void request(String channel) {
        PENDING.add(channel);
    }

    /** Whether an IDR was asked for on {@code channel}; clears the request. */
    public static boolean take(String channel) {
        return PENDING.remove(channel);
    }
}
