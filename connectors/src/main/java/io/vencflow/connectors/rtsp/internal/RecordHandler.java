package io.vencflow.connectors.rtsp.internal;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing side of a server connection, when the server accepts publishers: ANNOUNCE (the SDP of
 * what will be published), SETUP with {@code mode=record} (TCP interleaved only) and RECORD.
 */
final class RecordHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RecordHandler.class);

    private final ServerContext server;
    private final RtspRequestRouter router;
    private final Map<String, SdpReader> announced = new HashMap<>();

    RecordHandler(ServerContext server, RtspRequestRouter router) {
        this.server = server;
        this.router = router;
    }

    void announce(FullHttpRequest request, String cseq) {
        RtspUrl url = router.url(request, cseq);
        if (url == null) {
            return;
        }
        String type = request.headers().get(RtspHeaderNames.CONTENT_TYPE);
        if (type == null || !type.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/sdp")) {
            router.respond(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, cseq);
            return;
        }
        try {
            SdpReader sdp = SdpReader.parse(request.content().toString(StandardCharsets.UTF_8));
            announced.put(url.channel(), sdp);
            router.respond(HttpResponseStatus.OK, cseq);
        } catch (SdpReader.UnsupportedSdpException | IllegalArgumentException e) {
            LOG.info("{}: ANNOUNCE of channel {} refused: {}", router.ctx().channel().remoteAddress(), url.channel(),
                    e.getMessage());
            router.respond(RtspResponseStatuses.UNSUPPORTED_MEDIA_TYPE, cseq);
        }
    }

    void setup(FullHttpRequest request, String cseq, RtspUrl url, TransportSpec transport) {
        SdpReader sdp = announced.get(url.channel());
        if (sdp == null) {
            router.respond(RtspResponseStatuses.METHOD_NOT_VALID, cseq); // SETUP to record without ANNOUNCE
            return;
        }
        if (!transport.tcp()) {
            router.respond(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, cseq); // publishers use TCP interleaved
            return;
        }
        int[] channels = router.interleavedChannels(transport);
        if (channels == null) {
            router.respond(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, cseq);
            return;
        }
        ChannelFeed feed = server.feeds().getOrCreate(url.channel());
        String id = server.sessions().newId();
        RecordSession session = new RecordSession(id, feed, server, router.ctx().channel(), sdp, channels[0], channels[1]);
        router.register(session);
        FullHttpResponse r = RtspResponses.of(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.TRANSPORT, TransportSpec.answerRecord(channels[0], channels[1]));
        r.headers().set(RtspHeaderNames.SESSION, id + ";timeout=" + server.config().sessionTimeoutSeconds());
        router.respond(r);
    }

    void record(FullHttpRequest request, String cseq) {
        if (router.url(request, cseq) == null) {
            return;
        }
        RtspSession s = router.sessionOf(request);
        if (s == null) {
            router.respond(RtspResponseStatuses.SESSION_NOT_FOUND, cseq);
            return;
        }
        if (!(s instanceof RecordSession session)) {
            router.respond(RtspResponseStatuses.METHOD_NOT_VALID, cseq);
            return;
        }
        session.startRecording();
        FullHttpResponse r = RtspResponses.of(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.SESSION, s.id() + ";timeout=" + server.config().sessionTimeoutSeconds());
        router.respond(r);
    }

    boolean isRecordSession(FullHttpRequest request) {
        return router.sessionOf(request) instanceof RecordSession;
    }
}
