package io.vencflow.connectors.rtsp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.vencflow.connectors.rtsp.internal.ChannelFeed;
import io.vencflow.connectors.rtsp.internal.ConnectionLimiter;
import io.vencflow.connectors.rtsp.internal.DigestAuthHandler;
import io.vencflow.connectors.rtsp.internal.InterleavedRtpWriter;
import io.vencflow.connectors.rtsp.internal.InterleavedSplitter;
import io.vencflow.connectors.rtsp.internal.PlayerSession;
import io.vencflow.connectors.rtsp.internal.RecordSession;
import io.vencflow.connectors.rtsp.internal.RtspMessageAggregator;
import io.vencflow.connectors.rtsp.internal.RtspRequestRouter;
import io.vencflow.connectors.rtsp.internal.RtspRequestValidator;
import io.vencflow.connectors.rtsp.internal.RtspSession;
import io.vencflow.connectors.rtsp.internal.ServerContext;
import io.vencflow.connectors.rtsp.internal.UdpEndpoints;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.ChannelId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded RTSP 1.0 server (RFC 2326) that serves each published channel at
 * {@code rtsp://HOST:PORT/<channel>}: H.264 (RFC 6184) or H.265 (RFC 7798) over RTP, TCP interleaved or
 * unicast UDP, with RTCP sender reports, optional Digest authentication and, optionally, publishers
 * (ANNOUNCE/RECORD) whose channels it relays.
 *
 * <p>Use: {@code RtspServer.builder().config(cfg).build().start()}, then {@link #publish} each channel's
 * access units in order, and {@link #close()}. {@code publish} is thread-safe and never waits for a
 * client: a client that cannot keep up drops to the next IDR and is disconnected if it stays stuck.
 * A client joining mid-stream starts at the next IDR (the channel's {@link KeyframeRequester}, when
 * set, is asked for one at once).
 *
 * <p>DESCRIBE of a channel that has not published its parameter sets waits up to
 * {@link RtspServerConfig#describeWaitMs()} for them, then answers 404.
 */
public final class RtspServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);

    private final RtspServerConfig config;
    private final ServerContext context;
    private ConnectionLimiter limiter;
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private ScheduledFuture<?> reaper;
    private volatile boolean started;
    private volatile boolean closed;

    private RtspServer(Builder b) {
        this.config = b.config;
        this.context = new ServerContext(b.config, b.keyframeRequester, b.frameSentListener);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the TCP port (and the UDP pair when UDP is on) and starts serving. Throws
     * {@link IllegalStateException} naming the address when it cannot bind.
     */
    public synchronized RtspServer start() {
        if (started) {
            throw new IllegalStateException("RTSP server on " + config.bindAddress() + ":" + config.port() + " is already started");
        }
        if (closed) {
            throw new IllegalStateException("RTSP server is closed");
        }
        started = true;
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vencflow-rtsp-accept", true),
                NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("vencflow-rtsp-io", true),
                NioIoHandler.newFactory());
        limiter = new ConnectionLimiter(config.maxConnections());
        DigestAuthHandler auth = context.authenticator() == null ? null : new DigestAuthHandler(context.authenticator());
        ServerBootstrap b = new ServerBootstrap().group(bossGroup, ioGroup).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        (int) Math.min(Integer.MAX_VALUE / 2, config.maxClientQueueBytes() / 2),
                        (int) Math.min(Integer.MAX_VALUE, config.maxClientQueueBytes())))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (config.socketSendBufferBytes() > 0) {
                            ch.config().setSendBufferSize(config.socketSendBufferBytes());
                        }
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("limit", limiter);
                        p.addLast("idle", new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS));
                        p.addLast("split", new InterleavedSplitter(config.maxRequestLineBytes(), config.maxHeaderBytes(),
                                config.maxHeaderCount(), config.maxContentBytes(), config.requestTimeoutMs()));
                        p.addLast(InterleavedRtpWriter.NAME, InterleavedRtpWriter.INSTANCE);
                        p.addLast("encode", new RtspEncoder());
                        p.addLast("decode", new RtspDecoder(new HttpDecoderConfig()
                                .setMaxInitialLineLength(config.maxRequestLineBytes())
                                .setMaxHeaderSize(config.maxHeaderBytes())
                                .setMaxChunkSize(Math.max(8192, config.maxContentBytes()))));
                        p.addLast("aggregate", new RtspMessageAggregator(config.maxContentBytes()));
                        p.addLast("validate", new RtspRequestValidator());
                        if (auth != null) {
                            p.addLast("authenticate", auth);
                        }
                        p.addLast("route", new RtspRequestRouter(context));
                    }
                });
        try {
            ChannelFuture bind = b.bind(config.bindAddress(), config.port()).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                throw new IllegalStateException("cannot bind the RTSP server to " + config.bindAddress() + ":" + config.port()
                        + ": " + bind.cause().getMessage(), bind.cause());
            }
            serverChannel = bind.channel();
            if (config.udpEnabled()) {
                context.udp(UdpEndpoints.bind(ioGroup, config.bindAddress(), config.udpRtpPort()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        long timeoutNanos = TimeUnit.SECONDS.toNanos(config.sessionTimeoutSeconds());
        long periodMs = Math.max(100, Math.min(1000, config.sessionTimeoutSeconds() * 1000L / 4));
        reaper = ioGroup.next().scheduleAtFixedRate(() -> context.sessions().reap(timeoutNanos), periodMs, periodMs,
                TimeUnit.MILLISECONDS);
        LOG.info("RTSP server listening on rtsp://{}:{}/<channel>{}", config.bindAddress(), port(),
                context.udp() == null ? " (TCP only)" : ", RTP/RTCP over UDP on " + context.udp().rtpPort() + "-"
                        + context.udp().rtcpPort());
        return this;
    }

    /** The bound TCP port (the configured one, or the one picked for port 0). */
    public int port() {
        checkStarted();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The server's UDP RTP port (RTCP is the next one), or -1 when UDP is off. */
    public int udpRtpPort() {
        checkStarted();
        return context.udp() == null ? -1 : context.udp().rtpPort();
    }

    /** The URL players use for {@code channel}, with the bind address as host. */
    public String url(String channel) {
        return "rtsp://" + config.bindAddress() + ":" + port() + "/" + ChannelId.check(channel);
    }

    public RtspServerConfig config() {
        return config;
    }

    /**
     * Publishes one access unit of its channel to the channel's clients. Frames of one channel must
     * come in decoding order; every IDR should carry its parameter sets (the server keeps the latest
     * for DESCRIBE and for clients that join). Thread-safe; never blocks on clients. Throws
     * {@link IllegalStateException} when the server is not started or closed, and
     * {@link IllegalArgumentException} when a frame's SPS does not parse (nothing of it is sent).
     */
    public void publish(EncodedFrame frame) {
        Objects.requireNonNull(frame, "frame");
        if (!started || closed) {
            throw new IllegalStateException("RTSP server is " + (closed ? "closed" : "not started")
                    + "; frame " + frame + " cannot be published");
        }
        context.feeds().publish(frame);
    }

    /** Sets the hook that asks {@code channel}'s encoder for an IDR (null: the server-wide one, if any). */
    public void keyframeRequester(String channel, KeyframeRequester requester) {
        context.feeds().getOrCreate(ChannelId.check(channel)).keyframeRequester(requester);
    }

    /** The playing clients of every channel. */
    public List<RtspClientStats> clients() {
        List<RtspClientStats> out = new ArrayList<>();
        for (RtspSession s : context.sessions().all()) {
            if (s instanceof PlayerSession p && !p.isClosed()) {
                out.add(p.stats());
            }
        }
        return out;
    }

    /** The clients of one channel. */
    public List<RtspClientStats> clients(String channel) {
        return clients().stream().filter(c -> c.channel().equals(channel)).toList();
    }

    /** Whether a publisher (ANNOUNCE/RECORD) is publishing {@code channel}. */
    public boolean hasPublisher(String channel) {
        ChannelFeed feed = context.feeds().get(channel);
        return feed != null && feed.publisher() instanceof RecordSession r && !r.isClosed() && r.recording();
    }

    /** Disconnects the publisher of {@code channel}, if any (it may reconnect); returns whether there was one. */
    public boolean disconnectPublisher(String channel) {
        ChannelFeed feed = context.feeds().get(channel);
        RtspSession publisher = feed == null ? null : feed.publisher();
        if (publisher == null || publisher.isClosed()) {
            return false;
        }
        context.sessions().remove(publisher, "disconnected by the server");
        return true;
    }

    /** Connections open now. */
    public int connectionCount() {
        return limiter == null ? 0 : limiter.openConnections();
    }

    private void checkStarted() {
        if (!started || serverChannel == null) {
            throw new IllegalStateException("RTSP server is not started");
        }
    }

    /** Ends every session, closes the sockets and stops the threads. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reaper != null) {
            reaper.cancel(false);
        }
        context.sessions().closeAll("server closed");
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (context.udp() != null) {
            context.udp().close();
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        LOG.info("RTSP server on {}:{} closed", config.bindAddress(), serverChannel == null ? config.port()
                : ((InetSocketAddress) serverChannel.localAddress()).getPort());
    }

    /** Builds an {@link RtspServer}: its config and, optionally, its hooks. */
    public static final class Builder {
        private RtspServerConfig config = RtspServerConfig.builder().build();
        private KeyframeRequester keyframeRequester;
        private FrameSentListener frameSentListener;

        private Builder() {
        }

        public Builder config(RtspServerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Asked for an IDR of a channel when a client joins or falls behind (per channel: {@link RtspServer#keyframeRequester}). */
        public Builder keyframeRequester(KeyframeRequester keyframeRequester) {
            this.keyframeRequester = keyframeRequester;
            return this;
        }

        /** Told when each frame's last packet is written to each client's socket. */
        public Builder frameSentListener(FrameSentListener frameSentListener) {
            this.frameSentListener = frameSentListener;
            return this;
        }

        /** The server, not yet started. */
        public RtspServer build() {
            return new RtspServer(this);
        }
    }
}
