package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspVersions;
import java.nio.charset.StandardCharsets;

/** Builds and sends the server's RTSP responses: status, CSeq echo, Server header, optional body. */
public final class RtspResponses {
    static final String SERVER = "vencflow";

    private RtspResponses() {
    }

    /** An empty response; {@code cseq} may be null when the request had none usable. */
    public static FullHttpResponse of(HttpResponseStatus status, String cseq) {
        FullHttpResponse r = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, Unpooled.EMPTY_BUFFER);
        if (cseq != null) {
            r.headers().set(RtspHeaderNames.CSEQ, cseq);
        }
        r.headers().set(RtspHeaderNames.SERVER, SERVER);
        return r;
    }

    /** A response with a text body of {@code contentType}. */
    public static FullHttpResponse withBody(ByteBufAllocator alloc, HttpResponseStatus status, String cseq,
            String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status,
                alloc.buffer(bytes.length).writeBytes(bytes));
        if (cseq != null) {
            r.headers().set(RtspHeaderNames.CSEQ, cseq);
        }
        r.headers().set(RtspHeaderNames.SERVER, SERVER);
        r.headers().set(RtspHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }

    /** Answers and closes the connection once the answer is written. */
    public static void sendAndClose(ChannelHandlerContext ctx, FullHttpResponse response) {
        response.headers().set(RtspHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
