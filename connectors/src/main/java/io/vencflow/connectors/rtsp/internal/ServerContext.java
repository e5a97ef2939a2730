package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vencflow.connectors.rtsp.FrameSentListener;
import io.vencflow.connectors.rtsp.KeyframeRequester;
import io.vencflow.connectors.rtsp.RtspServerConfig;
import java.security.SecureRandom;

/**
 * What every part of one embedded server shares: its config, channels, sessions, authenticator and
 * hooks. Made once per server; the parts it holds are thread-safe.
 */
public final class ServerContext {
    private final RtspServerConfig config;
    private final SecureRandom random = new SecureRandom();
    private final ChannelFeeds feeds;
    private final SessionRegistry sessions;
    private final DigestAuthenticator authenticator;
    private final KeyframeRequester keyframeRequester;
    private final FrameSentListener frameSentListener;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final long sdpSessionId;
    private volatile UdpEndpoints udp;

    public ServerContext(RtspServerConfig config, KeyframeRequester keyframeRequester,
            FrameSentListener frameSentListener) {
        this.config = config;
        this.keyframeRequester = keyframeRequester;
        this.frameSentListener = frameSentListener;
        this.feeds = new ChannelFeeds(this);
        this.sessions = new SessionRegistry(random);
        this.authenticator = config.users().isEmpty() ? null
                : new DigestAuthenticator(config.realm(), config.users(), random);
        this.sdpSessionId = Math.abs(random.nextLong() % 1_000_000_000_000L);
    }

    public RtspServerConfig config() {
        return config;
    }

    public SecureRandom random() {
        return random;
    }

    public ChannelFeeds feeds() {
        return feeds;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /** The Digest authenticator, or null when no users are configured. */
    public DigestAuthenticator authenticator() {
        return authenticator;
    }

    /** The server-wide keyframe requester, or null. */
    public KeyframeRequester keyframeRequester() {
        return keyframeRequester;
    }

    /** The frame-sent listener, or null. */
    public FrameSentListener frameSentListener() {
        return frameSentListener;
    }

    public ByteBufAllocator alloc() {
        return alloc;
    }

    /** The {@code o=} session id of this server's SDPs. */
    public long sdpSessionId() {
        return sdpSessionId;
    }

    /** The UDP RTP/RTCP sockets, or null when UDP is off or not yet bound. */
    public UdpEndpoints udp() {
        return udp;
    }

    public void udp(UdpEndpoints udp) {
        this.udp = udp;
    }
}
