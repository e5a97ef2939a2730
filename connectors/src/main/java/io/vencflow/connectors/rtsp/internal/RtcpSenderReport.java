package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * An RTCP compound packet of a sender: a sender report (RFC 3550 6.4.1) mapping the stream's RTP time
 * to wall-clock NTP time with its packet and octet counts, followed by an SDES with the CNAME (RFC
 * 3550 6.5), which every compound packet must carry.
 */
public final class RtcpSenderReport {
    static final int PT_SENDER_REPORT = 200;
    static final int PT_SOURCE_DESCRIPTION = 202;
    static final int SDES_CNAME = 1;

    private RtcpSenderReport() {
    }

    /** Writes the compound packet into a new buffer from {@code alloc}, which the caller owns. */
    public static ByteBuf write(ByteBufAllocator alloc, int ssrc, long ntpTimestamp, int rtpTimestamp, long packets,
            long octets, String cname) {
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
            throw new IllegalArgumentException("CNAME of " + name.length + " bytes; at most 255 fit an SDES item");
        }
        // SDES chunk: SSRC, CNAME item (type, length, text), END item, padded to a 32-bit boundary.
        int chunk = 4 + 2 + name.length + 1;
        int chunkPadded = (chunk + 3) & ~3;
        ByteBuf buf = alloc.buffer(28 + 4 + chunkPadded);
        buf.writeByte(0x80); // V=2, P=0, RC=0
        buf.writeByte(PT_SENDER_REPORT);
        buf.writeShort(6); // length in 32-bit words minus one
        buf.writeInt(ssrc);
        buf.writeLong(ntpTimestamp);
        buf.writeInt(rtpTimestamp);
        buf.writeInt((int) packets);
        buf.writeInt((int) octets);

        buf.writeByte(0x81); // V=2, P=0, SC=1
        buf.writeByte(PT_SOURCE_DESCRIPTION);
        buf.writeShort(chunkPadded / 4);
        buf.writeInt(ssrc);
        buf.writeByte(SDES_CNAME);
        buf.writeByte(name.length);
        buf.writeBytes(name);
        buf.writeZero(chunkPadded - (chunk - 1));
        return buf;
    }
}
