package io.vencflow.connectors.rtsp.internal;

import io.vencflow.connectors.rtsp.KeyframeRequester;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel of the server: its codec and latest parameter sets (so DESCRIBE works before any client
 * joins), the clients playing it, and the way to ask its encoder for an IDR.
 *
 * <p>{@link #publish} is serialized per channel (one publisher at a time is expected; more are safe)
 * and never waits for clients: it packetizes the frame once and offers it to each, and each client
 * takes it or drops it by its own queue.
 */
public final class ChannelFeed {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelFeed.class);
    /** Keyframe requests to the encoder are spaced at least this far apart. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 1_000_000_000L;

    private final String channel;
    private final ServerContext server;
    private final CopyOnWriteArrayList<PlayerSession> players = new CopyOnWriteArrayList<>();
    private final AtomicLong lastKeyframeRequestNanos = new AtomicLong(System.nanoTime() - KEYFRAME_REQUEST_INTERVAL_NANOS);
    private volatile KeyframeRequester requester;
    private volatile ParameterSets parameterSets;
    private volatile long lastPtsMicros;
    private volatile long sdpVersion;
    private Codec codec;
    private RtpPacketizer packetizer;
    private volatile RtspSession publisher;

    ChannelFeed(String channel, ServerContext server) {
        this.channel = channel;
        this.server = server;
        this.requester = server.keyframeRequester();
    }

    public String channel() {
        return channel;
    }

    /**
     * Publishes one access unit. Returns whether the channel's description changed (it became
     * describable, or its parameter sets changed). A frame of another codec than before restarts the
     * channel: its clients are disconnected, since their SDP no longer holds.
     */
    public synchronized boolean publish(EncodedFrame frame) {
        if (codec != frame.codec()) {
            if (codec != null) {
                LOG.warn("channel {} changed codec from {} to {}: its {} clients are disconnected", channel, codec,
                        frame.codec(), players.size());
                for (PlayerSession p : players) {
                    server.sessions().remove(p, "channel changed codec");
                }
            }
            codec = frame.codec();
            packetizer = RtpPacketizer.forCodec(codec, server.config().maxRtpPayloadBytes());
            parameterSets = ParameterSets.empty(codec);
        }
        ParameterSets before = parameterSets;
        ParameterSets after = before.update(frame.packs());
        boolean describedAnew = after != before && after.complete();
        if (after != before) {
            parameterSets = after;
            sdpVersion++;
        }
        lastPtsMicros = frame.ptsMicros();
        if (players.isEmpty()) {
            return describedAnew;
        }
        PacketizedFrame packetized = PacketizedFrame.of(server.alloc(), packetizer, frame);
        try {
            for (PlayerSession p : players) {
                p.offer(packetized, this);
            }
        } finally {
            packetized.release();
        }
        // A request made within the interval of another was not passed on, and the IDR that answered the
        // other may have gone by before this client played: ask again once the interval is over.
        for (PlayerSession p : players) {
            if (p.awaitsIdr()) {
                requestKeyframe();
                break;
            }
        }
        return describedAnew;
    }

    /**
     * Takes a publisher's announced codec and parameter sets (its SDP's {@code sprop-*}) before its
     * first frame, so that players can DESCRIBE the channel at once. Returns whether the description
     * changed.
     */
    public synchronized boolean announce(Codec announcedCodec, List<Pack> announcedSets) {
        if (codec != announcedCodec) {
            for (PlayerSession p : players) {
                server.sessions().remove(p, "channel changed codec");
            }
            codec = announcedCodec;
            packetizer = RtpPacketizer.forCodec(codec, server.config().maxRtpPayloadBytes());
            parameterSets = ParameterSets.empty(codec);
        }
        ParameterSets before = parameterSets;
        ParameterSets after = before.update(announcedSets);
        if (after == before) {
            return false;
        }
        parameterSets = after;
        sdpVersion++;
        return after.complete();
    }

    /** Whether DESCRIBE can answer: the codec's parameter sets are known. */
    public boolean describable() {
        ParameterSets ps = parameterSets;
        return ps != null && ps.complete();
    }

    /** The latest parameter sets, or null before the first frame. */
    public ParameterSets parameterSets() {
        return parameterSets;
    }

    /** The SDP of the channel as the client reached the server at {@code localAddress}. */
    public String sdp(String localAddress) {
        return SdpWriter.write(channel, parameterSets, localAddress, server.sdpSessionId(), sdpVersion);
    }

    /** The capture time of the last published frame. */
    public long lastPtsMicros() {
        return lastPtsMicros;
    }

    /**
     * The parameter sets packetized on their own, stamped {@code ptsMicros}, for a client that starts
     * at an IDR that does not carry them; null when they are not known. Called under the publish lock.
     * The caller owns the returned frame.
     */
    PacketizedFrame parameterSetFrame(long ptsMicros) {
        ParameterSets ps = parameterSets;
        if (ps == null || !ps.complete()) {
            return null;
        }
        return PacketizedFrame.of(server.alloc(), packetizer, codec, ptsMicros, ps.packs());
    }

    void addPlayer(PlayerSession player) {
        players.addIfAbsent(player);
    }

    void removePlayer(PlayerSession player) {
        players.remove(player);
    }

    /** Sets the encoder hook of this channel (null: the server-wide one). */
    public void keyframeRequester(KeyframeRequester requester) {
        this.requester = requester != null ? requester : server.keyframeRequester();
    }

    /**
     * Asks the channel's encoder for an IDR, unless one was asked for within the last second. Such a
     * request is not lost: while a client still waits for an IDR, each published frame asks again, and
     * the first one after the second passes it on.
     */
    public void requestKeyframe() {
        KeyframeRequester r = requester;
        if (r == null) {
            return;
        }
        long now = System.nanoTime();
        long last = lastKeyframeRequestNanos.get();
        if (now - last < KEYFRAME_REQUEST_INTERVAL_NANOS || !lastKeyframeRequestNanos.compareAndSet(last, now)) {
            return;
        }
        try {
            r.requestKeyframe(channel);
        } catch (RuntimeException e) {
            LOG.warn("keyframe request for channel {} failed", channel, e);
        }
    }

    /** The session publishing into this channel (relay), or null. */
    public RtspSession publisher() {
        return publisher;
    }

    /** Sets the publishing session; returns the one it replaces, or null. */
    public synchronized RtspSession publisher(RtspSession session) {
        RtspSession old = publisher;
        publisher = session;
        return old;
    }

    /** Clears the publisher if it is still {@code session}, and makes every client resume at an IDR. */
    public synchronized void publisherGone(RtspSession session) {
        if (publisher == session) {
            publisher = null;
        }
        for (PlayerSession p : players) {
            p.resumeAtIdr();
        }
    }
}
