package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One interleaved binary frame of an RTSP connection (RFC 2326 10.12: {@code $}, channel, 16-bit
 * length, data): RTP or RTCP sharing the TCP connection with requests. Whoever receives it owns the
 * content and releases it.
 */
public final class InterleavedFrame extends DefaultByteBufHolder {
    private final int channel;

    public InterleavedFrame(int channel, ByteBuf content) {
        super(content);
        this.channel = channel;
    }

    public int channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "InterleavedFrame[channel " + channel + ", " + content().readableBytes() + " B]";
    }
}
