package io.vencflow.connectors.rtsp.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Marks the place in an RTSP connection's pipeline from which interleaved RTP/RTCP is written: below
 * the RTSP encoder, so binary frames go straight to the socket while responses pass through the
 * encoder. Holds no state.
 */
@ChannelHandler.Sharable
public final class InterleavedRtpWriter extends ChannelOutboundHandlerAdapter {
    public static final InterleavedRtpWriter INSTANCE = new InterleavedRtpWriter();
    public static final String NAME = "interleaved-rtp-writer";

    private InterleavedRtpWriter() {
    }
}
