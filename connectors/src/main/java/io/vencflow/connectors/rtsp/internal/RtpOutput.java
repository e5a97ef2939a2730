package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/**
 * Where a session's RTP and RTCP packets go: interleaved on its RTSP connection, or UDP datagrams to
 * the client's ports. Every write happens on {@link #eventLoop()}; the output takes ownership of the
 * buffers passed to it.
 */
public interface RtpOutput {
    EventLoop eventLoop();

    /** Whether packets can still be written. */
    boolean isActive();

    /** The interleaved channel the RTP header writer prefixes, or -1 for UDP. */
    int interleavedRtpChannel();

    /** Bytes of transport framing and RTP header per packet, for queue accounting. */
    int packetOverheadBytes();

    /** Writes one RTP packet made of {@code header} and {@code payload}; both are released by the output. */
    void writeRtp(ByteBuf header, ByteBuf payload, ChannelPromise promise);

    /** Writes one RTCP (compound) packet; the output releases it. */
    void writeRtcp(ByteBuf packet);

    void flush();

    ChannelPromise newPromise();

    /** The client's address, for stats and logs. */
    InetSocketAddress remoteAddress();

    /** "tcp" or "udp". */
    String transportName();
}
