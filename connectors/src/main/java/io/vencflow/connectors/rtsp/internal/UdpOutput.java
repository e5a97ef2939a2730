package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * RTP and RTCP as UDP datagrams from the server's shared pair of ports to the client's pair. Each
 * packet is gathered into one buffer (a datagram cannot be written in pieces).
 */
public final class UdpOutput implements RtpOutput {
    private final UdpEndpoints endpoints;
    private final InetSocketAddress clientRtp;
    private final InetSocketAddress clientRtcp;
    private volatile boolean registered;
    private RtspSession session;

    public UdpOutput(UdpEndpoints endpoints, InetSocketAddress clientRtp, InetSocketAddress clientRtcp) {
        this.endpoints = endpoints;
        this.clientRtp = clientRtp;
        this.clientRtcp = clientRtcp;
    }

    /** Starts counting the client's datagrams as activity of {@code session}. */
    public void register(RtspSession session) {
        this.session = session;
        endpoints.register(clientRtp, clientRtcp, session);
        registered = true;
    }

    void unregister() {
        registered = false;
        if (session != null) {
            endpoints.unregister(clientRtp, clientRtcp, session);
        }
    }

    @Override
    public EventLoop eventLoop() {
        return endpoints.rtpChannel().eventLoop();
    }

    @Override
    public boolean isActive() {
        return registered && endpoints.rtpChannel().isActive();
    }

    @Override
    public int interleavedRtpChannel() {
        return -1;
    }

    @Override
    public int packetOverheadBytes() {
        return RtpStream.HEADER_BYTES;
    }

    @Override
    public void writeRtp(ByteBuf header, ByteBuf payload, ChannelPromise promise) {
        ByteBuf datagram = endpoints.rtpChannel().alloc().directBuffer(header.readableBytes() + payload.readableBytes());
        try {
            datagram.writeBytes(header).writeBytes(payload);
        } finally {
            header.release();
            payload.release();
        }
        DatagramPacket packet = new DatagramPacket(datagram, clientRtp);
        if (promise == null) {
            endpoints.rtpChannel().write(packet, endpoints.rtpChannel().voidPromise());
        } else {
            endpoints.rtpChannel().write(packet, promise);
        }
    }

    @Override
    public void writeRtcp(ByteBuf packet) {
        endpoints.rtcpChannel().writeAndFlush(new DatagramPacket(packet, clientRtcp),
                endpoints.rtcpChannel().voidPromise());
    }

    @Override
    public void flush() {
        endpoints.rtpChannel().flush();
    }

    @Override
    public ChannelPromise newPromise() {
        return endpoints.rtpChannel().newPromise();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return clientRtp;
    }

    @Override
    public String transportName() {
        return "udp";
    }
}
