package io.vencflow.connectors.rtsp.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's pair of UDP sockets for RTP over UDP: RTP from an even port, RTCP from the next odd
 * one (RFC 3550 11), shared by every UDP client the way RTSP servers commonly do. Datagrams from a
 * client's RTP or RTCP port (receiver reports, NAT punch packets) count as activity of its session.
 * Both sockets live on one event loop.
 */
public final class UdpEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoints.class);
    private static final int RANDOM_PORT_ATTEMPTS = 64;

    private final Channel rtp;
    private final Channel rtcp;
    private final ConcurrentHashMap<InetSocketAddress, RtspSession> byClientAddress = new ConcurrentHashMap<>();

    private UdpEndpoints(Channel rtp, Channel rtcp) {
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    /**
     * Binds the pair on {@code host}: at {@code rtpPort} and the next port, or, for 0, at a random free
     * even/odd pair in 20000..59999.
     */
    public static UdpEndpoints bind(EventLoopGroup group, String host, int rtpPort) {
        EventLoop loop = group.next();
        if (rtpPort != 0) {
            UdpEndpoints e = tryBind(loop, host, rtpPort);
            if (e == null) {
                throw new IllegalStateException("cannot bind UDP ports " + rtpPort + "-" + (rtpPort + 1) + " on " + host
                        + " for RTP/RTCP: in use or not allowed");
            }
            return e;
        }
        for (int attempt = 0; attempt < RANDOM_PORT_ATTEMPTS; attempt++) {
            int port = 20000 + 2 * ThreadLocalRandom.current().nextInt(20000);
            UdpEndpoints e = tryBind(loop, host, port);
            if (e != null) {
                return e;
            }
        }
        throw new IllegalStateException("found no free even/odd UDP port pair on " + host + " in 20000..59999 after "
                + RANDOM_PORT_ATTEMPTS + " attempts");
    }

    private static UdpEndpoints tryBind(EventLoop loop, String host, int port) {
        UdpEndpoints[] self = new UdpEndpoints[1];
        Channel rtp = bindOne(loop, host, port, self);
        if (rtp == null) {
            return null;
        }
        Channel rtcp = bindOne(loop, host, port + 1, self);
        if (rtcp == null) {
            rtp.close().syncUninterruptibly();
            return null;
        }
        self[0] = new UdpEndpoints(rtp, rtcp);
        return self[0];
    }

    private static Channel bindOne(EventLoop loop, String host, int port, UdpEndpoints[] self) {
        Bootstrap b = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        UdpEndpoints endpoints = self[0];
                        if (endpoints != null) {
                            endpoints.received(packet.sender());
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP port unreachable from a client that went away, and the like: its session times out.
                        LOG.debug("UDP socket {}: {}", ctx.channel().localAddress(), cause.toString());
                    }
                });
        var future = b.bind(host, port).awaitUninterruptibly();
        return future.isSuccess() ? future.channel() : null;
    }

    private void received(InetSocketAddress sender) {
        RtspSession session = byClientAddress.get(sender);
        if (session != null) {
            session.touch();
        }
    }

    public int rtpPort() {
        return ((InetSocketAddress) rtp.localAddress()).getPort();
    }

    public int rtcpPort() {
        return ((InetSocketAddress) rtcp.localAddress()).getPort();
    }

    Channel rtpChannel() {
        return rtp;
    }

    Channel rtcpChannel() {
        return rtcp;
    }

    /** Counts datagrams from these client ports as the session's activity. */
    void register(InetSocketAddress clientRtp, InetSocketAddress clientRtcp, RtspSession session) {
        byClientAddress.put(clientRtp, session);
        byClientAddress.put(clientRtcp, session);
    }

    void unregister(InetSocketAddress clientRtp, InetSocketAddress clientRtcp, RtspSession session) {
        byClientAddress.remove(clientRtp, session);
        byClientAddress.remove(clientRtcp, session);
    }

    @Override
    public void close() {
        rtp.close().awaitUninterruptibly();
        rtcp.close().awaitUninterruptibly();
        LOG.debug("UDP RTP/RTCP sockets closed");
    }
}
