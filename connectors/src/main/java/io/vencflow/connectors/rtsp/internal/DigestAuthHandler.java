package io.vencflow.connectors.rtsp.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only with valid Digest credentials; otherwise answers 401 with a fresh
 * challenge. Interleaved frames pass (they belong to a session that authenticated). Stateless.
 */
@ChannelHandler.Sharable
public final class DigestAuthHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DigestAuthHandler.class);

    private final DigestAuthenticator authenticator;

    public DigestAuthHandler(DigestAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        DigestAuthenticator.Result result = authenticator.check(request.method().name(), request.uri(),
                request.headers().get(RtspHeaderNames.AUTHORIZATION));
        if (result == DigestAuthenticator.Result.OK) {
            ctx.fireChannelRead(request);
            return;
        }
        if (result == DigestAuthenticator.Result.INVALID) {
            LOG.info("{}: {} {} with invalid credentials", ctx.channel().remoteAddress(), request.method(), request.uri());
        }
        FullHttpResponse response = RtspResponses.of(RtspResponseStatuses.UNAUTHORIZED,
                request.headers().get(RtspHeaderNames.CSEQ));
        response.headers().set(RtspHeaderNames.WWW_AUTHENTICATE,
                authenticator.challenge(result == DigestAuthenticator.Result.STALE));
        request.release();
        ctx.writeAndFlush(response);
    }
}
