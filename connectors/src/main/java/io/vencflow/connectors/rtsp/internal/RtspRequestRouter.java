package io.vencflow.connectors.rtsp.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vencflow.connectors.rtsp.RtspServerConfig;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a server connection: answers each request by its method, in arrival order, and
 * keeps what belongs to the connection (its sessions, its interleaved channels, what it announced).
 *
 * <p>Statuses: unknown or unsupported methods get 405 with the methods that are allowed (rather than
 * 501, so that every refusal of a request is a 4xx); a URL that is not {@code rtsp://} or names an
 * invalid channel id gets 400; a channel that has not published (within the DESCRIBE wait) gets 404;
 * a missing or unknown Session gets 454; a method out of place (PLAY of a record session, a second
 * SETUP) gets 455; a SETUP beyond the server's or the connection's session limit gets 453; a Transport
 * the server cannot serve gets 461.
 */
public final class RtspRequestRouter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RtspRequestRouter.class);
    /** Requests that may wait behind one being answered (a DESCRIBE waiting for its channel). */
    static final int MAX_BACKLOG = 16;
    /** Sessions one connection may hold (one per channel it plays is what players use). */
    static final int MAX_SESSIONS_PER_CONNECTION = 16;
    static final String PLAY_METHODS = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER";
    static final String RECORD_METHODS = ", ANNOUNCE, RECORD";

    private final ServerContext server;
    private final RtspServerConfig config;
    private final Set<RtspSession> sessions = new LinkedHashSet<>();
    private final BitSet interleavedInUse = new BitSet(256);
    private final ArrayDeque<FullHttpRequest> backlog = new ArrayDeque<>();
    private final RecordHandler record;
    private ChannelHandlerContext ctx;
    private boolean busy;

    public RtspRequestRouter(ServerContext server) {
        this.server = server;
        this.config = server.config();
        this.record = new RecordHandler(server, this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    String allowedMethods() {
        return config.acceptPublishers() ? PLAY_METHODS + RECORD_METHODS : PLAY_METHODS;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InterleavedFrame frame) {
            try {
                interleaved(frame);
            } finally {
                frame.release();
            }
            return;
        }
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            if (backlog.size() >= MAX_BACKLOG) {
                request.release();
                LOG.info("{}: more than {} requests waiting; connection closed", ctx.channel().remoteAddress(), MAX_BACKLOG);
                RtspResponses.sendAndClose(ctx, RtspResponses.of(HttpResponseStatus.BAD_REQUEST, null));
                return;
            }
            backlog.add(request);
            return;
        }
        handle(request);
    }

    private void handle(FullHttpRequest request) {
        try {
            String cseq = request.headers().get(RtspHeaderNames.CSEQ).trim();
            touchNamedSession(request);
            switch (request.method().name()) {
                case "OPTIONS" -> options(cseq);
                case "DESCRIBE" -> describe(request, cseq);
                case "SETUP" -> setup(request, cseq);
                case "PLAY" -> play(request, cseq);
                case "PAUSE" -> pause(request, cseq);
                case "TEARDOWN" -> teardown(request, cseq);
                case "GET_PARAMETER", "SET_PARAMETER" -> parameter(request, cseq);
                case "ANNOUNCE" -> {
                    if (config.acceptPublishers()) {
                        record.announce(request, cseq);
                    } else {
                        notAllowed(cseq);
                    }
                }
                case "RECORD" -> {
                    if (config.acceptPublishers()) {
                        record.record(request, cseq);
                    } else {
                        notAllowed(cseq);
                    }
                }
                default -> notAllowed(cseq);
            }
        } finally {
            request.release();
        }
    }

    void respond(FullHttpResponse response) {
        ctx.writeAndFlush(response);
    }

    void respond(HttpResponseStatus status, String cseq) {
        respond(RtspResponses.of(status, cseq));
    }

    private void notAllowed(String cseq) {
        FullHttpResponse r = RtspResponses.of(HttpResponseStatus.METHOD_NOT_ALLOWED, cseq);
        r.headers().set(RtspHeaderNames.ALLOW, allowedMethods());
        r.headers().set(RtspHeaderNames.PUBLIC, allowedMethods());
        respond(r);
    }

    private void options(String cseq) {
        FullHttpResponse r = RtspResponses.of(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.PUBLIC, allowedMethods());
        respond(r);
    }

    /** The URL of a request, or null after answering 400/404. */
    RtspUrl anyUrl(FullHttpRequest request, String cseq) {
        try {
            return RtspUrl.parse(request.uri());
        } catch (RtspUrl.BadUrlException e) {
            LOG.debug("{}: {}", ctx.channel().remoteAddress(), e.getMessage());
            respond(e.notFound() ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.BAD_REQUEST, cseq);
            return null;
        }
    }

    /** The URL of a request naming a channel or its played stream, or null after answering 400/404. */
    RtspUrl url(FullHttpRequest request, String cseq) {
        RtspUrl url = anyUrl(request, cseq);
        if (url != null && !url.playable()) {
            respond(HttpResponseStatus.NOT_FOUND, cseq);
            return null;
        }
        return url;
    }

    private void describe(FullHttpRequest request, String cseq) {
        RtspUrl url = url(request, cseq);
        if (url == null) {
            return;
        }
        String accept = request.headers().get(RtspHeaderNames.ACCEPT);
        if (accept != null && !accept.contains("application/sdp") && !accept.contains("*/*")) {
            respond(HttpResponseStatus.NOT_ACCEPTABLE, cseq);
            return;
        }
        String base = request.uri().endsWith("/") ? request.uri() : request.uri() + "/";
        String local = ((InetSocketAddress) ctx.channel().localAddress()).getAddress().getHostAddress();
        busy = true;
        server.feeds().whenDescribable(url.channel(), config.describeWaitMs(), ctx.executor()).whenComplete(
                (feed, error) -> ctx.executor().execute(() -> {
                    if (feed == null) {
                        respond(HttpResponseStatus.NOT_FOUND, cseq);
                    } else {
                        FullHttpResponse r = RtspResponses.withBody(ctx.alloc(), HttpResponseStatus.OK, cseq,
                                "application/sdp", feed.sdp(local));
                        r.headers().set(RtspHeaderNames.CONTENT_BASE, base);
                        respond(r);
                    }
                    resume();
                }));
    }

    /** Answers the requests that waited behind a slow one, until another waits. */
    private void resume() {
        busy = false;
        while (!busy && !backlog.isEmpty() && ctx.channel().isActive()) {
            handle(backlog.poll());
        }
    }

    private void setup(FullHttpRequest request, String cseq) {
        RtspUrl url = anyUrl(request, cseq);
        if (url == null) {
            return;
        }
        if (request.headers().contains(RtspHeaderNames.SESSION)) {
            respond(sessionOf(request) == null ? RtspResponseStatuses.SESSION_NOT_FOUND
                    : RtspResponseStatuses.METHOD_NOT_VALID, cseq);
            return;
        }
        TransportSpec transport;
        try {
            transport = TransportSpec.choose(request.headers().get(RtspHeaderNames.TRANSPORT));
        } catch (TransportSpec.UnsupportedTransportException e) {
            LOG.debug("{}: {}", ctx.channel().remoteAddress(), e.getMessage());
            respond(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, cseq);
            return;
        }
        if (!roomForSession(cseq)) {
            return;
        }
        if (transport.record()) {
            record.setup(request, cseq, url, transport);
            return;
        }
        ChannelFeed feed = server.feeds().get(url.channel());
        if (feed == null || !feed.describable() || !url.playable()) {
            respond(HttpResponseStatus.NOT_FOUND, cseq);
            return;
        }
        String id = server.sessions().newId();
        RtpOutput output;
        String answer;
        if (transport.tcp()) {
            int[] channels = interleavedChannels(transport);
            if (channels == null) {
                respond(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, cseq);
                return;
            }
            output = new TcpInterleavedOutput(ctx.pipeline().context(InterleavedRtpWriter.NAME), channels[0], channels[1]);
            PlayerSession session = new PlayerSession(id, feed, server, ctx.channel(), output, request.uri());
            answer = TransportSpec.answerTcp(channels[0], channels[1], session.ssrc());
            register(session);
        } else {
            UdpEndpoints udp = server.udp();
            if (udp == null) {
                LOG.debug("{}: UDP asked for but disabled", ctx.channel().remoteAddress());
                respond(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, cseq);
                return;
            }
            // Media goes only to the address the request came from.
            var clientIp = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            UdpOutput udpOutput = new UdpOutput(udp, new InetSocketAddress(clientIp, transport.clientRtpPort()),
                    new InetSocketAddress(clientIp, transport.clientRtcpPort()));
            PlayerSession session = new PlayerSession(id, feed, server, ctx.channel(), udpOutput, request.uri());
            udpOutput.register(session);
            answer = TransportSpec.answerUdp(transport.clientRtpPort(), transport.clientRtcpPort(), udp.rtpPort(),
                    udp.rtcpPort(), session.ssrc());
            register(session);
        }
        FullHttpResponse r = RtspResponses.of(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.TRANSPORT, answer);
        r.headers().set(RtspHeaderNames.SESSION, id + ";timeout=" + config.sessionTimeoutSeconds());
        respond(r);
    }

    /** The interleaved channel pair for a TCP transport: the client's if free, else the next free pair. */
    int[] interleavedChannels(TransportSpec transport) {
        int rtp = transport.interleavedRtp();
        int rtcp = transport.interleavedRtcp();
        if (rtp >= 0 && !interleavedInUse.get(rtp) && !interleavedInUse.get(rtcp)) {
            interleavedInUse.set(rtp);
            interleavedInUse.set(rtcp);
            return new int[] {rtp, rtcp};
        }
        for (int c = 0; c + 1 < 256; c += 2) {
            if (!interleavedInUse.get(c) && !interleavedInUse.get(c + 1)) {
                interleavedInUse.set(c);
                interleavedInUse.set(c + 1);
                return new int[] {c, c + 1};
            }
        }
        return null;
    }

    /** Whether another session may open; answers 453 when not. */
    private boolean roomForSession(String cseq) {
        sessions.removeIf(RtspSession::isClosed);
        if (sessions.size() >= MAX_SESSIONS_PER_CONNECTION || server.sessions().size() >= config.maxSessions()) {
            LOG.info("{}: SETUP refused: {} sessions on this connection, {} on the server (limits {} and {})",
                    ctx.channel().remoteAddress(), sessions.size(), server.sessions().size(), MAX_SESSIONS_PER_CONNECTION,
                    config.maxSessions());
            respond(RtspResponseStatuses.NOT_ENOUGH_BANDWIDTH, cseq);
            return false;
        }
        return true;
    }

    void register(RtspSession session) {
        server.sessions().register(session);
        sessions.add(session);
    }

    /** The live session a request names, or null. */
    RtspSession sessionOf(FullHttpRequest request) {
        String header = request.headers().get(RtspHeaderNames.SESSION);
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        String id = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        if (id.isEmpty() || id.length() > 64) {
            return null;
        }
        RtspSession s = server.sessions().get(id);
        if (s == null) {
            return null;
        }
        if (s.interleaved() && s.connection() != ctx.channel()) {
            // Interleaved media is tied to its connection: another connection cannot steer it.
            return null;
        }
        return s;
    }

    private void touchNamedSession(FullHttpRequest request) {
        RtspSession s = sessionOf(request);
        if (s != null) {
            s.touch();
        }
    }

    /** The session a request names, answering 454 (none) or 455 (not a play session of this URL) when unusable. */
    private PlayerSession playerSession(FullHttpRequest request, String cseq) {
        RtspUrl url = url(request, cseq);
        if (url == null) {
            return null;
        }
        RtspSession s = sessionOf(request);
        if (s == null) {
            respond(RtspResponseStatuses.SESSION_NOT_FOUND, cseq);
            return null;
        }
        if (!(s instanceof PlayerSession p) || !s.channel().equals(url.channel())) {
            respond(RtspResponseStatuses.METHOD_NOT_VALID, cseq);
            return null;
        }
        if (!(p.output() instanceof TcpInterleavedOutput) && p.connection() != ctx.channel()) {
            p.connection(ctx.channel()); // a UDP session steered from a new connection
            sessions.add(p);
        }
        return p;
    }

    private void play(FullHttpRequest request, String cseq) {
        if (config.acceptPublishers() && record.isRecordSession(request)) {
            respond(RtspResponseStatuses.METHOD_NOT_VALID, cseq);
            return;
        }
        PlayerSession session = playerSession(request, cseq);
        if (session == null) {
            return;
        }
        PlayerSession.RtpInfo rtpInfo = session.play();
        FullHttpResponse r = RtspResponses.of(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.SESSION, session.id() + ";timeout=" + config.sessionTimeoutSeconds());
        r.headers().set(RtspHeaderNames.RANGE, "npt=0.000-");
        r.headers().set(RtspHeaderNames.RTP_INFO,
                "url=" + session.controlUrl() + ";seq=" + rtpInfo.sequence() + ";rtptime=" + rtpInfo.rtpTime());
        respond(r);
    }

    private void pause(FullHttpRequest request, String cseq) {
        PlayerSession session = playerSession(request, cseq);
        if (session == null) {
            return;
        }
        session.pause();
        FullHttpResponse r = RtspResponses.of(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.SESSION, session.id() + ";timeout=" + config.sessionTimeoutSeconds());
        respond(r);
    }

    private void teardown(FullHttpRequest request, String cseq) {
        if (anyUrl(request, cseq) == null) {
            return;
        }
        RtspSession s = sessionOf(request);
        if (s == null) {
            respond(RtspResponseStatuses.SESSION_NOT_FOUND, cseq);
            return;
        }
        sessions.remove(s);
        release(s);
        server.sessions().remove(s, "teardown");
        respond(HttpResponseStatus.OK, cseq);
    }

    private void parameter(FullHttpRequest request, String cseq) {
        if (request.headers().contains(RtspHeaderNames.SESSION) && sessionOf(request) == null) {
            respond(RtspResponseStatuses.SESSION_NOT_FOUND, cseq);
            return;
        }
        if (request.method().name().equals("SET_PARAMETER") && request.content().isReadable()) {
            respond(RtspResponseStatuses.PARAMETER_NOT_UNDERSTOOD, cseq);
            return;
        }
        respond(HttpResponseStatus.OK, cseq);
    }

    private void interleaved(InterleavedFrame frame) {
        for (RtspSession s : sessions) {
            if (s instanceof PlayerSession p && p.output() instanceof TcpInterleavedOutput out
                    && (frame.channel() == out.interleavedRtcpChannel() || frame.channel() == out.interleavedRtpChannel())) {
                p.touch(); // a receiver report: the client is alive
                return;
            }
            if (s instanceof RecordSession r && r.accepts(frame.channel())) {
                r.touch();
                r.received(frame);
                return;
            }
        }
        LOG.info("{}: interleaved data on channel {} without a session for it; connection closed",
                ctx.channel().remoteAddress(), frame.channel());
        ctx.close();
    }

    /** Frees what a session held on this connection. */
    void release(RtspSession s) {
        if (s instanceof PlayerSession p && p.output() instanceof TcpInterleavedOutput out) {
            interleavedInUse.clear(out.interleavedRtpChannel());
            interleavedInUse.clear(out.interleavedRtcpChannel());
        } else if (s instanceof RecordSession r) {
            interleavedInUse.clear(r.rtpChannel());
            interleavedInUse.clear(r.rtcpChannel());
        }
    }

    List<RtspSession> sessions() {
        return List.copyOf(sessions);
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            sessions.removeIf(RtspSession::isClosed);
            if (sessions.isEmpty()) {
                LOG.debug("{}: idle for {} ms without a session; closed", ctx.channel().remoteAddress(),
                        config.idleTimeoutMs());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (FullHttpRequest r : backlog) {
            r.release();
        }
        backlog.clear();
        for (RtspSession s : sessions) {
            if (s.interleaved()) {
                server.sessions().remove(s, "connection closed");
            }
        }
        sessions.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
