package io.vencflow.connectors.rtsp.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The channels of one server. A channel's feed is made by its first published frame and then kept,
 * so its parameter sets still describe it between publishers. DESCRIBE of a channel that cannot be
 * described yet may wait for it here, a bounded number of waiters at a time. Thread-safe.
 */
public final class ChannelFeeds {
    /** At most this many DESCRIBEs wait at once across the server; more get 404 at once. */
    static final int MAX_WAITERS = 256;

    private final ServerContext server;
    private final ConcurrentHashMap<String, ChannelFeed> feeds = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<ChannelFeed>>> waiters = new ConcurrentHashMap<>();
    private int waiting;

    ChannelFeeds(ServerContext server) {
        this.server = server;
    }

    /** The feed of a channel, or null when it never published. */
    public ChannelFeed get(String channel) {
        return feeds.get(channel);
    }

    /** Publishes one access unit into its channel, making the feed on the channel's first frame. */
    public void publish(EncodedFrame frame) {
        ChannelFeed feed = feeds.computeIfAbsent(frame.channel(), c -> new ChannelFeed(c, server));
        if (feed.publish(frame)) {
            describable(feed);
        }
    }

    /** Takes a publisher's announced codec and parameter sets into its channel (see {@link ChannelFeed#announce}). */
    public void announce(ChannelFeed feed, Codec codec, List<Pack> sets) {
        if (feed.announce(codec, sets)) {
            describable(feed);
        }
    }

    /** The feed of a publisher that announced the channel (relay), made when needed. */
    public ChannelFeed getOrCreate(String channel) {
        return feeds.computeIfAbsent(channel, c -> new ChannelFeed(c, server));
    }

    /**
     * Completes with the channel's feed once it can be described (its parameter sets are known), or
     * with null after {@code waitMs}.
     */
    public CompletableFuture<ChannelFeed> whenDescribable(String channel, long waitMs, EventExecutor executor) {
        ChannelFeed feed = feeds.get(channel);
        if (feed != null && feed.describable()) {
            return CompletableFuture.completedFuture(feed);
        }
        CompletableFuture<ChannelFeed> future = new CompletableFuture<>();
        synchronized (this) {
            if (waitMs <= 0 || waiting >= MAX_WAITERS) {
                return CompletableFuture.completedFuture(null);
            }
            waiting++;
            waiters.computeIfAbsent(channel, c -> new ArrayList<>()).add(future);
        }
        // A publish between the first look and registering the waiter must not be missed.
        ChannelFeed now = feeds.get(channel);
        if (now != null && now.describable()) {
            describable(now);
        }
        ScheduledFuture<?> timeout = executor.schedule(() -> {
            if (forget(channel, future)) {
                future.complete(null);
            }
        }, waitMs, TimeUnit.MILLISECONDS);
        future.whenComplete((f, e) -> timeout.cancel(false));
        return future;
    }

    private synchronized boolean forget(String channel, CompletableFuture<ChannelFeed> future) {
        List<CompletableFuture<ChannelFeed>> list = waiters.get(channel);
        if (list == null || !list.remove(future)) {
            return false;
        }
        waiting--;
        if (list.isEmpty()) {
            waiters.remove(channel);
        }
        return true;
    }

    private void describable(ChannelFeed feed) {
        List<CompletableFuture<ChannelFeed>> ready;
        synchronized (this) {
            ready = waiters.remove(feed.channel());
            if (ready == null) {
                return;
            }
            waiting -= ready.size();
        }
        for (CompletableFuture<ChannelFeed> f : ready) {
            f.complete(feed);
        }
    }
}
