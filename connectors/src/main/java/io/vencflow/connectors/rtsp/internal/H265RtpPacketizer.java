package io.vencflow.connectors.rtsp.internal;

import io.vencflow.core.codec.Pack;

/**
 * RFC 7798 packetization without DONL (sprop-max-don-diff 0): single NAL unit packets and
 * fragmentation units. The FU payload header copies the NAL unit's F, LayerId and TID with type 49;
 * the FU header has S, E and the NAL unit type (RFC 7798 4.4.3).
 */
public final class H265RtpPacketizer extends RtpPacketizer {
    static final int FU = 49;

    public H265RtpPacketizer(int maxPayloadBytes) {
        super(maxPayloadBytes);
    }

    @Override
    protected int nalHeaderBytes() {
        return 2;
    }

    @Override
    protected int fuPrefixBytes() {
        return 3;
    }

    @Override
    protected byte[] fuPrefix(Pack pack, boolean start, boolean end) {
        int b0 = pack.byteAt(0) & 0xff;
        byte payloadHeader0 = (byte) ((b0 & 0x81) | (FU << 1));
        byte payloadHeader1 = pack.byteAt(1);
        byte fuHeader = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | ((b0 >> 1) & 0x3f));
        return new byte[] {payloadHeader0, payloadHeader1, fuHeader};
    }
}
