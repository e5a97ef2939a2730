package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.vencflow.core.codec.EncodedFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A publisher's session (ANNOUNCE, SETUP mode=record over TCP interleaved, RECORD): its RTP is turned
 * back into access units and published into the channel, which relays them to the channel's players.
 * A new publisher of the same channel replaces the old one. Runs on its connection's event loop.
 */
public final class RecordSession extends RtspSession {
    private static final Logger LOG = LoggerFactory.getLogger(RecordSession.class);

    private final ServerContext server;
    private final ChannelFeed feed;
    private final RtpDepacketizer depacketizer;
    private final SdpReader sdp;
    private final int payloadType;
    private final int rtpChannel;
    private final int rtcpChannel;
    private boolean recording;
    private long frames;

    public RecordSession(String id, ChannelFeed feed, ServerContext server, Channel connection, SdpReader sdp,
            int rtpChannel, int rtcpChannel) {
        super(id, feed.channel(), connection);
        this.server = server;
        this.feed = feed;
        this.sdp = sdp;
        this.payloadType = sdp.payloadType();
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
        this.depacketizer = new RtpDepacketizer(sdp.codec(), feed.channel(), sdp.parameterSets());
    }

    @Override
    public boolean interleaved() {
        return true;
    }

    public int rtpChannel() {
        return rtpChannel;
    }

    public int rtcpChannel() {
        return rtcpChannel;
    }

    boolean accepts(int channel) {
        return channel == rtpChannel || channel == rtcpChannel;
    }

    public boolean recording() {
        return recording;
    }

    /** RECORD: from now on the session's media is the channel's. Replaces (and closes) an earlier publisher. */
    void startRecording() {
        if (recording) {
            return;
        }
        recording = true;
        server.feeds().announce(feed, sdp.codec(), sdp.parameterSets());
        RtspSession old = feed.publisher(this);
        if (old != null && old != this) {
            LOG.info("channel {}: a new publisher replaces session {}", channel(), old.id());
            server.sessions().remove(old, "replaced by a new publisher");
        }
    }

    /** One interleaved frame of this session: RTP into the depacketizer, RTCP sender reports into its clock. */
    void received(InterleavedFrame frame) {
        if (!recording) {
            return;
        }
        ByteBuf content = frame.content();
        if (frame.channel() == rtcpChannel) {
            senderReport(content);
            return;
        }
        EncodedFrame au = depacketizer.push(content, payloadType);
        if (au != null) {
            frames++;
            try {
                server.feeds().publish(au);
            } catch (IllegalArgumentException e) {
                LOG.warn("channel {}: publisher sent an access unit that cannot be relayed: {}", channel(), e.getMessage());
            }
        }
    }

    /** Reads the first sender report of an RTCP compound packet (RFC 3550 6.4.1). */
    private void senderReport(ByteBuf rtcp) {
        int i = rtcp.readerIndex();
        if (rtcp.readableBytes() >= 20 && (rtcp.getUnsignedByte(i) >> 6) == 2
                && rtcp.getUnsignedByte(i + 1) == RtcpSenderReport.PT_SENDER_REPORT) {
            depacketizer.senderReport(rtcp.getLong(i + 8), rtcp.getInt(i + 16));
        }
    }

    public long frames() {
        return frames;
    }

    @Override
    protected void onClose(String reason) {
        LOG.info("publisher session {} of channel {} ended after {} frames ({} dropped for lost or malformed packets): {}",
                id(), channel(), frames, depacketizer.dropped(), reason);
        feed.publisherGone(this);
        Channel c = connection();
        if (c != null && !"teardown".equals(reason)) {
            c.close();
        }
    }
}
