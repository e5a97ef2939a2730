package io.vencflow.connectors.rtsp.internal;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's HTTP aggregator for RTSP messages, without HTTP's {@code Expect: 100-continue} answer, which
 * RTSP does not have (the splitter already holds whole messages, so there is nothing to wait for).
 */
public final class RtspMessageAggregator extends HttpObjectAggregator {
    public RtspMessageAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        return null;
    }
}
