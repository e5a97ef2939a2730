package io.vencflow.connectors.rtsp;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vencflow.connectors.rtsp.internal.ChannelPusher;
import io.vencflow.connectors.rtsp.internal.RtpPacketizer;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.ChannelId;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes channels to an external RTSP server (MediaMTX, or a vencflow {@link RtspServer} that
 * accepts publishers): each channel goes to {@code <base URL><channel>} with ANNOUNCE, SETUP
 * ({@code mode=record}, TCP interleaved) and RECORD, with Digest credentials when the server asks.
 *
 * <p>A channel connects on its first IDR (the SDP needs its parameter sets) and always starts, and
 * after a reconnection resumes, at an IDR (the {@link KeyframeRequester}, when set, is asked for one).
 * Lost connections are retried with a backoff doubling from the minimum to the maximum delay.
 * {@link #publish} is thread-safe and never blocks: frames that cannot be sent are dropped and
 * counted in {@link #stats}.
 */
public final class RtspPushClient implements AutoCloseable {
    private final ChannelPusher.Settings settings;
    private final EventLoopGroup group;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ChannelPusher> pushers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RtspPushClient(ChannelPusher.Settings settings, int ioThreads) {
        this.settings = settings;
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("vencflow-rtsp-push", true),
                NioIoHandler.newFactory());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Pushes one access unit of its channel (frames of a channel in decoding order). */
    public void publish(EncodedFrame frame) {
        Objects.requireNonNull(frame, "frame");
        if (closed) {
            throw new IllegalStateException("RTSP push client is closed; frame " + frame + " cannot be pushed");
        }
        pushers.computeIfAbsent(frame.channel(),
                c -> new ChannelPusher(c, settings, group.next(), PooledByteBufAllocator.DEFAULT, random)).publish(frame);
    }

    /** The URL a channel is pushed to. */
    public String url(String channel) {
        ChannelId.check(channel);
        return "rtsp://" + (settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host()) + ":"
                + settings.port() + "/" + settings.pathPrefix() + channel;
    }

    /** The state of one channel, or null when it never published. */
    public RtspPushStats stats(String channel) {
        ChannelPusher p = pushers.get(channel);
        return p == null ? null : p.stats();
    }

    /** The state of every channel. */
    public List<RtspPushStats> stats() {
        List<RtspPushStats> out = new ArrayList<>();
        for (ChannelPusher p : pushers.values()) {
            out.add(p.stats());
        }
        return out;
    }

    /** Tears every session down and stops the threads. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ChannelPusher p : pushers.values()) {
            p.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Builds an {@link RtspPushClient}; the settings are checked at {@link #build()}. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private long reconnectMinMs = 250;
        private long reconnectMaxMs = 10_000;
        private long responseTimeoutMs = 5_000;
        private long maxQueueBytes = 8L << 20;
        private int maxRtpPayloadBytes = RtpPacketizer.DEFAULT_MAX_PAYLOAD_BYTES;
        private int ioThreads = 1;
        private KeyframeRequester keyframeRequester;

        private Builder() {
        }

        /**
         * The server's base URL, {@code rtsp://host:port/[prefix/]}; channel {@code c} is pushed to
         * {@code rtsp://host:port/[prefix/]c}. Credentials may be given as {@code rtsp://user:pass@host/}.
         */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** Digest credentials, used when the server asks (overrides those of the URL). */
        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** The first reconnection delay; it doubles on every failed attempt up to the maximum. */
        public Builder reconnectBackoffMs(long minMs, long maxMs) {
            this.reconnectMinMs = minMs;
            this.reconnectMaxMs = maxMs;
            return this;
        }

        /** How long the connection and each answer may take. */
        public Builder responseTimeoutMs(long responseTimeoutMs) {
            this.responseTimeoutMs = responseTimeoutMs;
            return this;
        }

        /** Bytes a channel may have queued before it drops to the next IDR. */
        public Builder maxQueueBytes(long maxQueueBytes) {
            this.maxQueueBytes = maxQueueBytes;
            return this;
        }

        public Builder maxRtpPayloadBytes(int maxRtpPayloadBytes) {
            this.maxRtpPayloadBytes = maxRtpPayloadBytes;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /** Asked for an IDR of a channel when its push (re)starts or falls behind. */
        public Builder keyframeRequester(KeyframeRequester keyframeRequester) {
            this.keyframeRequester = keyframeRequester;
            return this;
        }

        public RtspPushClient build() {
            return new RtspPushClient(settings(), ioThreads);
        }

        /** The checked settings (what {@link #build()} uses), without starting anything. */
        ChannelPusher.Settings settings() {
            if (url == null) {
                throw new IllegalArgumentException("push URL is not set; expected rtsp://host:port/ (channels are appended)");
            }
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("push URL '" + url + "' is not a URL: " + e.getMessage(), e);
            }
            if (!"rtsp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("push URL '" + url + "' is not rtsp://host[:port]/[prefix/]");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("push URL '" + url + "' has a query or fragment; expected rtsp://host[:port]/[prefix/]");
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            String prefix = path.startsWith("/") ? path.substring(1) : path;
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            String u = user;
            String p = password;
            if (u == null && uri.getRawUserInfo() != null) {
                String[] info = uri.getRawUserInfo().split(":", 2);
                u = URLDecoder.decode(info[0], StandardCharsets.UTF_8);
                p = info.length > 1 ? URLDecoder.decode(info[1], StandardCharsets.UTF_8) : "";
            }
            if (u != null && (u.isEmpty() || p == null)) {
                throw new IllegalArgumentException("push credentials need a non-empty user name and a password");
            }
            if (reconnectMinMs < 10 || reconnectMaxMs < reconnectMinMs || reconnectMaxMs > 600_000) {
                throw new IllegalArgumentException("reconnect backoff " + reconnectMinMs + ".." + reconnectMaxMs
                        + " ms is not valid; expected 10 <= min <= max <= 600000");
            }
            if (responseTimeoutMs < 100 || responseTimeoutMs > 600_000) {
                throw new IllegalArgumentException("response timeout " + responseTimeoutMs + " ms is out of range; expected 100..600000");
            }
            if (maxQueueBytes < (64 << 10) || maxQueueBytes > (1L << 30)) {
                throw new IllegalArgumentException("push queue " + maxQueueBytes + " B is out of range; expected 65536..1073741824");
            }
            if (maxRtpPayloadBytes < RtpPacketizer.MIN_MAX_PAYLOAD_BYTES || maxRtpPayloadBytes > RtpPacketizer.MAX_MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("RTP payload size " + maxRtpPayloadBytes + " is out of range; expected "
                        + RtpPacketizer.MIN_MAX_PAYLOAD_BYTES + ".." + RtpPacketizer.MAX_MAX_PAYLOAD_BYTES);
            }
            if (ioThreads < 1 || ioThreads > 64) {
                throw new IllegalArgumentException("I/O threads " + ioThreads + " is out of range; expected 1..64");
            }
            int port = uri.getPort() < 0 ? 554 : uri.getPort();
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            return new ChannelPusher.Settings(host, port, prefix, u, p, reconnectMinMs, reconnectMaxMs,
                    responseTimeoutMs, maxQueueBytes, maxRtpPayloadBytes, keyframeRequester);
        }
    }
}
