package io.vencflow.connectors.rtsp.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.vencflow.connectors.rtsp.KeyframeRequester;
import io.vencflow.connectors.rtsp.RtspPushStats;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes one channel to an RTSP server: OPTIONS, ANNOUNCE (the SDP of the channel's parameter sets),
 * SETUP with {@code mode=record} over TCP interleaved, RECORD; then RTP with RTCP sender reports and
 * periodic GET_PARAMETER keepalives. It connects once the channel's parameter sets are known (its
 * first IDR), starts sending at an IDR, and when the connection fails or ends it reconnects after a
 * backoff that doubles from the minimum to the maximum (with jitter), resuming at the next IDR (the
 * encoder is asked for one).
 *
 * <p>{@link #publish} is thread-safe and never blocks: frames that cannot go (not recording, waiting
 * for an IDR, queue full) are dropped and counted. Everything else runs on one event loop.
 */
public final class ChannelPusher {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelPusher.class);

    /** What one pusher needs to know; shared by the pushers of one client. */
    public record Settings(String host, int port, String pathPrefix, String user, String password, long reconnectMinMs,
            long reconnectMaxMs, long responseTimeoutMs, long maxQueueBytes, int maxRtpPayloadBytes,
            KeyframeRequester keyframeRequester) {
    }

    private enum State {
        IDLE, CONNECTING, RECORDING, BACKOFF, CLOSED
    }

    private record Pending(int cseq, HttpMethod method, String uri, String[] headers, String body,
            Consumer<FullHttpResponse> then, boolean retried, ScheduledFuture<?> timeout) {
    }

    private final String channel;
    private final Settings settings;
    private final String url;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final SecureRandom random;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong connectAttempts = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong sentFrames = new AtomicLong();
    private final AtomicLong droppedFrames = new AtomicLong();
    private volatile State state = State.IDLE;

    // Guarded by this (the publishing side).
    private long lastKeyframeRequestNanos;
    private Codec codec;
    private ParameterSets parameterSets;
    private RtpPacketizer packetizer;
    private boolean waitingForIdr = true;

    // Event loop only.
    private Channel connection;
    private TcpInterleavedOutput output;
    private RtpStream rtp;
    private Pending pending;
    private int cseq;
    private String challenge;
    private String sessionId;
    private int failures;
    private ScheduledFuture<?> senderReports;
    private ScheduledFuture<?> keepalive;

    public ChannelPusher(String channel, Settings settings, EventLoop loop, ByteBufAllocator alloc, SecureRandom random) {
        this.channel = channel;
        this.settings = settings;
        this.loop = loop;
        this.alloc = alloc;
        this.random = random;
        this.url = "rtsp://" + hostForUrl(settings.host()) + ":" + settings.port() + "/" + settings.pathPrefix() + channel;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public String url() {
        return url;
    }

    /** Hands one access unit of the channel to the pusher; never blocks. */
    public void publish(EncodedFrame frame) {
        PacketizedFrame packetized;
        PacketizedFrame sets = null;
        long bytes;
        synchronized (this) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("the pusher of channel " + channel + " is closed");
            }
            if (codec != frame.codec()) {
                boolean restart = codec != null && state != State.IDLE;
                codec = frame.codec();
                packetizer = RtpPacketizer.forCodec(codec, settings.maxRtpPayloadBytes());
                parameterSets = ParameterSets.empty(codec);
                waitingForIdr = true;
                if (restart) {
                    loop.execute(() -> fail("the channel changed codec; announcing it anew"));
                }
            }
            parameterSets = parameterSets.update(frame.packs());
            if (state == State.IDLE) {
                if (parameterSets.complete()) {
                    state = State.CONNECTING;
                    loop.execute(this::connect);
                }
                droppedFrames.incrementAndGet();
                return;
            }
            boolean idr = frame.packs().stream().anyMatch(p -> NalUnit.isIdr(codec, p.nalType()));
            if (state != State.RECORDING || (waitingForIdr && !idr)) {
                waitingForIdr = true;
                droppedFrames.incrementAndGet();
                if (state == State.RECORDING && queuedBytes.get() == 0) {
                    // The IDR asked for may have been dropped too, or the request fell within the
                    // interval of the last: ask again (at most once per interval) until one comes.
                    requestKeyframe();
                }
                return;
            }
            packetized = PacketizedFrame.of(alloc, packetizer, frame);
            bytes = packetized.wireBytes(RtpStream.INTERLEAVED_PREFIX_BYTES + RtpStream.HEADER_BYTES);
            long queued = queuedBytes.get();
            if (queued > 0 && queued + bytes > settings.maxQueueBytes()) {
                packetized.release();
                waitingForIdr = true;
                droppedFrames.incrementAndGet();
                requestKeyframe();
                return;
            }
            if (waitingForIdr && !packetized.carriesParameterSets()) {
                sets = PacketizedFrame.of(alloc, packetizer, codec, frame.ptsMicros(), parameterSets.packs());
                bytes += sets.wireBytes(RtpStream.INTERLEAVED_PREFIX_BYTES + RtpStream.HEADER_BYTES);
            }
            waitingForIdr = false;
            queuedBytes.addAndGet(bytes);
        }
        PacketizedFrame parameterSetFrame = sets;
        long accounted = bytes;
        try {
            loop.execute(() -> write(parameterSetFrame, packetized, accounted));
        } catch (RuntimeException e) { // the event loop is shutting down
            packetized.release();
            if (parameterSetFrame != null) {
                parameterSetFrame.release();
            }
            queuedBytes.addAndGet(-accounted);
        }
    }

    private void write(PacketizedFrame sets, PacketizedFrame frame, long accounted) {
        try {
            if (state != State.RECORDING || output == null || !output.isActive()) {
                queuedBytes.addAndGet(-accounted);
                return;
            }
            int timestamp = rtp.timestamp(frame.ptsMicros());
            if (sets != null) {
                for (RtpPayload p : sets.payloads()) {
                    output.writeRtp(rtp.writeHeader(alloc, p, timestamp, output.interleavedRtpChannel(), false),
                            sets.slice(p), null);
                }
            }
            List<RtpPayload> payloads = frame.payloads();
            ChannelPromise done = output.newPromise();
            for (int i = 0; i < payloads.size(); i++) {
                RtpPayload p = payloads.get(i);
                output.writeRtp(rtp.writeHeader(alloc, p, timestamp, output.interleavedRtpChannel(), p.marker()),
                        frame.slice(p), i == payloads.size() - 1 ? done : null);
            }
            done.addListener((ChannelFutureListener) f -> {
                queuedBytes.addAndGet(-accounted);
                if (f.isSuccess()) {
                    sentFrames.incrementAndGet();
                }
            });
            output.flush();
        } finally {
            frame.release();
            if (sets != null) {
                sets.release();
            }
        }
    }

    private void connect() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        connectAttempts.incrementAndGet();
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.responseTimeoutMs())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("split", new InterleavedSplitter(8192, 65536, 128, 65536, settings.responseTimeoutMs()));
                        p.addLast(InterleavedRtpWriter.NAME, InterleavedRtpWriter.INSTANCE);
                        p.addLast("encode", new RtspEncoder());
                        p.addLast("decode", new RtspDecoder(new HttpDecoderConfig().setMaxInitialLineLength(8192)
                                .setMaxHeaderSize(65536).setMaxChunkSize(65536)));
                        p.addLast("aggregate", new RtspMessageAggregator(65536));
                        p.addLast("push", new ResponseHandler());
                    }
                });
        b.connect(settings.host(), settings.port()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail("cannot connect to " + settings.host() + ":" + settings.port() + ": " + f.cause().getMessage());
                return;
            }
            Channel ch = f.channel();
            if (state == State.CLOSED) {
                ch.close();
                return;
            }
            connection = ch;
            ch.closeFuture().addListener(c -> {
                if (ch == connection) {
                    fail("the server closed the connection");
                }
            });
            request(RtspMethods.OPTIONS, url, null, this::announce);
        });
    }

    private void announce(FullHttpResponse options) {
        String local = ((InetSocketAddress) connection.localAddress()).getAddress().getHostAddress();
        ParameterSets ps;
        synchronized (this) {
            ps = parameterSets;
        }
        String sdp = SdpWriter.write(channel, ps, local, Math.abs(random.nextLong() % 1_000_000_000L), 1);
        request(RtspMethods.ANNOUNCE, url, sdp, r -> setup(), "Content-Type: application/sdp");
    }

    private void setup() {
        request(RtspMethods.SETUP, url + "/" + SdpWriter.TRACK_CONTROL, null, this::record,
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record");
    }

    private void record(FullHttpResponse setup) {
        String session = setup.headers().get(RtspHeaderNames.SESSION);
        if (session == null) {
            fail("SETUP was answered without a Session");
            return;
        }
        String[] parts = session.split(";");
        sessionId = parts[0].trim();
        int timeoutS = 60;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("timeout=")) {
                try {
                    timeoutS = Math.max(2, Integer.parseInt(p.substring(8).trim()));
                } catch (NumberFormatException e) {
                    // keep the default
                }
            }
        }
        int keepaliveS = timeoutS / 2;
        int[] channels = interleavedChannels(setup.headers().get(RtspHeaderNames.TRANSPORT));
        request(RtspMethods.RECORD, url, null, r -> recording(keepaliveS, channels), "Session: " + sessionId,
                "Range: npt=0.000-");
    }

    /** The interleaved channels the server chose (its Transport answer), 0-1 when it did not say. */
    private static int[] interleavedChannels(String transport) {
        if (transport != null) {
            for (String part : transport.split(";")) {
                String p = part.trim();
                if (p.startsWith("interleaved=")) {
                    String[] ends = p.substring(12).split("-");
                    try {
                        int rtp = Integer.parseInt(ends[0].trim());
                        int rtcp = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : rtp + 1;
                        if (rtp >= 0 && rtp <= 255 && rtcp >= 0 && rtcp <= 255) {
                            return new int[] {rtp, rtcp};
                        }
                    } catch (NumberFormatException e) {
                        // fall back to what was asked for
                    }
                }
            }
        }
        return new int[] {0, 1};
    }

    private void recording(int keepaliveS, int[] channels) {
        rtp = RtpStream.random(random);
        output = new TcpInterleavedOutput(connection.pipeline().context(InterleavedRtpWriter.NAME), channels[0], channels[1]);
        synchronized (this) {
            state = State.RECORDING;
            waitingForIdr = true;
        }
        failures = 0;
        sessions.incrementAndGet();
        LOG.info("pushing channel {} to {} (session {})", channel, url, sessionId);
        sendSenderReport();
        senderReports = loop.scheduleAtFixedRate(this::sendSenderReport, PlayerSession.SENDER_REPORT_INTERVAL_MS,
                PlayerSession.SENDER_REPORT_INTERVAL_MS, TimeUnit.MILLISECONDS);
        keepalive = loop.scheduleAtFixedRate(() -> request(RtspMethods.GET_PARAMETER, url, null, r -> { },
                "Session: " + sessionId), keepaliveS, keepaliveS, TimeUnit.SECONDS);
        synchronized (this) {
            lastKeyframeRequestNanos = 0;
            requestKeyframe();
        }
    }

    private void sendSenderReport() {
        if (output == null || !output.isActive()) {
            return;
        }
        long now = RtpClock.nowMicros();
        output.writeRtcp(RtcpSenderReport.write(alloc, rtp.ssrc(), RtpClock.ntpTimestamp(now), rtp.timestamp(now),
                rtp.packets(), rtp.octets(), "vencflow"));
        output.flush();
    }

    /** Asks the encoder for an IDR, at most once per interval; under this pusher's lock. */
    private void requestKeyframe() {
        KeyframeRequester r = settings.keyframeRequester();
        long now = System.nanoTime();
        if (r == null || (lastKeyframeRequestNanos != 0 && now - lastKeyframeRequestNanos < ChannelFeed.KEYFRAME_REQUEST_INTERVAL_NANOS)) {
            return;
        }
        lastKeyframeRequestNanos = now;
        try {
            r.requestKeyframe(channel);
        } catch (RuntimeException e) {
            LOG.warn("keyframe request for channel {} failed", channel, e);
        }
    }

    /** Sends a request (one at a time) and hands its 2xx answer on; anything else ends the connection. */
    private void request(HttpMethod method, String uri, String body, Consumer<FullHttpResponse> then, String... headers) {
        send(method, uri, headers, body, then, false);
    }

    private void send(HttpMethod method, String uri, String[] headers, String body, Consumer<FullHttpResponse> then,
            boolean retried) {
        if (connection == null || !connection.isActive() || pending != null && method == RtspMethods.GET_PARAMETER) {
            return; // a keepalive while another request is out is not needed
        }
        int seq = ++cseq;
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        FullHttpRequest req = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, method, uri,
                Unpooled.wrappedBuffer(content));
        req.headers().set(RtspHeaderNames.CSEQ, seq);
        req.headers().set(RtspHeaderNames.USER_AGENT, "vencflow");
        for (String h : headers) {
            int colon = h.indexOf(':');
            req.headers().add(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        if (content.length > 0) {
            req.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, content.length);
        }
        if (challenge != null && settings.user() != null) {
            req.headers().set(RtspHeaderNames.AUTHORIZATION,
                    DigestAuthenticator.authorization(challenge, method.name(), uri, settings.user(), settings.password(), random));
        }
        ScheduledFuture<?> timeout = loop.schedule(() -> fail(method + " got no answer within "
                + settings.responseTimeoutMs() + " ms"), settings.responseTimeoutMs(), TimeUnit.MILLISECONDS);
        pending = new Pending(seq, method, uri, headers, body, then, retried, timeout);
        connection.writeAndFlush(req);
    }

    private void response(FullHttpResponse response) {
        Pending p = pending;
        String cseqHeader = response.headers().get(RtspHeaderNames.CSEQ);
        if (p == null || cseqHeader == null || !cseqHeader.trim().equals(Integer.toString(p.cseq()))) {
            return; // not the answer we wait for
        }
        pending = null;
        p.timeout().cancel(false);
        int status = response.status().code();
        if (status == 401 && settings.user() != null && !p.retried()) {
            challenge = response.headers().get(RtspHeaderNames.WWW_AUTHENTICATE);
            if (challenge != null) {
                send(p.method(), p.uri(), p.headers(), p.body(), p.then(), true);
                return;
            }
        }
        if (status < 200 || status >= 300) {
            fail(p.method() + " " + p.uri() + " was answered " + response.status()
                    + (status == 401 ? (settings.user() == null ? " (no credentials configured)" : " (credentials refused)") : ""));
            return;
        }
        p.then().accept(response);
    }

    /** Ends the connection and schedules the next attempt (unless closed). */
    private void fail(String reason) {
        if (state == State.CLOSED || state == State.BACKOFF) {
            return;
        }
        boolean wasRecording = state == State.RECORDING;
        synchronized (this) {
            state = State.BACKOFF;
            waitingForIdr = true;
        }
        cleanUp();
        failures++;
        long base = Math.min(settings.reconnectMaxMs(), settings.reconnectMinMs() << Math.min(failures - 1, 20));
        long delay = (long) (base * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble()));
        if (wasRecording) {
            LOG.warn("pushing channel {} to {} stopped: {}; reconnecting in {} ms", channel, url, reason, delay);
        } else {
            LOG.info("pushing channel {} to {}: {}; retrying in {} ms", channel, url, reason, delay);
        }
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void cleanUp() {
        if (pending != null) {
            pending.timeout().cancel(false);
            pending = null;
        }
        if (senderReports != null) {
            senderReports.cancel(false);
            senderReports = null;
        }
        if (keepalive != null) {
            keepalive.cancel(false);
            keepalive = null;
        }
        output = null;
        Channel c = connection;
        connection = null;
        sessionId = null;
        if (c != null) {
            c.close();
        }
    }

    /** Sends TEARDOWN when recording and closes the connection; publishing afterwards throws. */
    public Future<Void> close() {
        Promise<Void> closed = loop.newPromise();
        loop.execute(() -> {
            boolean recording = state == State.RECORDING;
            synchronized (this) {
                state = State.CLOSED;
            }
            Channel c = connection;
            if (recording && c != null && c.isActive() && sessionId != null) {
                FullHttpRequest teardown = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, RtspMethods.TEARDOWN, url);
                teardown.headers().set(RtspHeaderNames.CSEQ, ++cseq);
                teardown.headers().set(RtspHeaderNames.SESSION, sessionId);
                if (challenge != null && settings.user() != null) {
                    teardown.headers().set(RtspHeaderNames.AUTHORIZATION, DigestAuthenticator.authorization(challenge,
                            "TEARDOWN", url, settings.user(), settings.password(), random));
                }
                c.writeAndFlush(teardown);
            }
            connection = null;
            cleanUp();
            if (c != null) {
                c.close().addListener(f -> closed.setSuccess(null));
            } else {
                closed.setSuccess(null);
            }
        });
        return closed;
    }

    public RtspPushStats stats() {
        return new RtspPushStats(channel, url, state == State.RECORDING, connectAttempts.get(), sessions.get(),
                sentFrames.get(), droppedFrames.get(), queuedBytes.get());
    }

    /** Answers from the server: responses go to the pending request; interleaved RTCP is dropped. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof FullHttpResponse response) {
                    if (response.decoderResult().isFailure()) {
                        fail("unreadable answer: " + response.decoderResult().cause());
                    } else {
                        response(response);
                    }
                } else if (msg instanceof RejectedRequest rejected) {
                    fail("unreadable answer: " + rejected.reason());
                } else if (msg instanceof io.netty.handler.codec.http.HttpRequest) {
                    fail("the server sent a request");
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause.toString());
        }
    }
}
