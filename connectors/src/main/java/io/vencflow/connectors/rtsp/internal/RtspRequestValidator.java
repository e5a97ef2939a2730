package io.vencflow.connectors.rtsp.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets only well-formed RTSP/1.0 requests with one numeric CSeq through. A request the splitter
 * refused, one the decoder could not parse, a response sent to the server, or another protocol
 * version is answered and the connection closed (the byte stream can no longer be trusted); a bad
 * CSeq gets 400 and the connection stays. Interleaved frames pass.
 */
public final class RtspRequestValidator extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RtspRequestValidator.class);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InterleavedFrame) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof RejectedRequest rejected) {
            LOG.debug("{}: {} ({})", ctx.channel().remoteAddress(), rejected.reason(), rejected.status().code());
            RtspResponses.sendAndClose(ctx, RtspResponses.of(rejected.status(), null));
            return;
        }
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            if (msg instanceof HttpMessage) {
                RtspResponses.sendAndClose(ctx, RtspResponses.of(HttpResponseStatus.BAD_REQUEST, null));
            } else {
                ctx.close();
            }
            return;
        }
        try {
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                LOG.debug("{}: malformed request: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
                HttpResponseStatus status = cause instanceof TooLongFrameException
                        ? RtspResponseStatuses.REQUEST_URI_TOO_LONG : HttpResponseStatus.BAD_REQUEST;
                RtspResponses.sendAndClose(ctx, RtspResponses.of(status, null));
                request.release();
                return;
            }
            List<String> cseqs = request.headers().getAll(RtspHeaderNames.CSEQ);
            String cseq = cseqs.size() == 1 ? cseqs.get(0).trim() : null;
            if (!RtspVersions.RTSP_1_0.equals(request.protocolVersion())) {
                RtspResponses.sendAndClose(ctx, RtspResponses.of(RtspResponseStatuses.RTSP_VERSION_NOT_SUPPORTED,
                        validCseq(cseq) ? cseq : null));
                request.release();
                return;
            }
            if (!validCseq(cseq)) {
                ctx.writeAndFlush(RtspResponses.of(HttpResponseStatus.BAD_REQUEST, null));
                request.release();
                return;
            }
        } catch (RuntimeException e) {
            request.release();
            throw e;
        }
        ctx.fireChannelRead(request);
    }

    /** One to nine decimal digits: what every client sends, and never an overflow. */
    static boolean validCseq(String cseq) {
        if (cseq == null || cseq.isEmpty() || cseq.length() > 9) {
            return false;
        }
        for (int i = 0; i < cseq.length(); i++) {
            char c = cseq.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
