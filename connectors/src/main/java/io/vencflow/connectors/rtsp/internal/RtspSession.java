package io.vencflow.connectors.rtsp.internal;

import io.netty.channel.Channel;

/**
 * One RTSP session (RFC 2326 3, 12.37): made by SETUP, ended by TEARDOWN, by its connection closing
 * (interleaved sessions) or by the reaper when its client has been silent for the session timeout.
 * Thread-safe: activity is recorded from network threads, closing is idempotent.
 */
public abstract class RtspSession {
    private final String id;
    private final String channel;
    private volatile Channel connection;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean closed;

    protected RtspSession(String id, String channel, Channel connection) {
        this.id = id;
        this.channel = channel;
        this.connection = connection;
    }

    public String id() {
        return id;
    }

    public String channel() {
        return channel;
    }

    /** The RTSP connection that controls the session (it may change for UDP sessions). */
    public Channel connection() {
        return connection;
    }

    void connection(Channel connection) {
        this.connection = connection;
    }

    /** Records activity from the client: a request naming the session, or RTCP. */
    public void touch() {
        lastActivityNanos = System.nanoTime();
    }

    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** Whether the session's media travels on its RTSP connection, so that it ends with it. */
    public abstract boolean interleaved();

    public boolean isClosed() {
        return closed;
    }

    /** Ends the session; calling it again does nothing. */
    public final void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        onClose(reason);
    }

    protected abstract void onClose(String reason);
}
