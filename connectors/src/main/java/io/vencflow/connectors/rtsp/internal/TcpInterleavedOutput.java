package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/**
 * RTP and RTCP interleaved on the RTSP connection (RFC 2326 10.12), written from the
 * {@link InterleavedRtpWriter}'s place in the pipeline. The RTP header writer adds the {@code $}
 * prefix for the RTP channel; RTCP gets its prefix here.
 */
public final class TcpInterleavedOutput implements RtpOutput {
    private final ChannelHandlerContext writer;
    private final int rtpChannel;
    private final int rtcpChannel;

    public TcpInterleavedOutput(ChannelHandlerContext writer, int rtpChannel, int rtcpChannel) {
        this.writer = writer;
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
    }

    @Override
    public EventLoop eventLoop() {
        return writer.channel().eventLoop();
    }

    @Override
    public boolean isActive() {
        return writer.channel().isActive();
    }

    @Override
    public int interleavedRtpChannel() {
        return rtpChannel;
    }

    public int interleavedRtcpChannel() {
        return rtcpChannel;
    }

    @Override
    public int packetOverheadBytes() {
        return RtpStream.INTERLEAVED_PREFIX_BYTES + RtpStream.HEADER_BYTES;
    }

    @Override
    public void writeRtp(ByteBuf header, ByteBuf payload, ChannelPromise promise) {
        writer.write(header, writer.voidPromise());
        writer.write(payload, promise == null ? writer.voidPromise() : promise);
    }

    @Override
    public void writeRtcp(ByteBuf packet) {
        ByteBuf prefix = writer.alloc().directBuffer(4, 4);
        prefix.writeByte('$').writeByte(rtcpChannel).writeShort(packet.readableBytes());
        writer.write(prefix, writer.voidPromise());
        writer.write(packet, writer.voidPromise());
    }

    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    public ChannelPromise newPromise() {
        return writer.newPromise();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) writer.channel().remoteAddress();
    }

    @Override
    public String transportName() {
        return "tcp";
    }
}
