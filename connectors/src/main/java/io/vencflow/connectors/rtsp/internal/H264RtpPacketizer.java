package io.vencflow.connectors.rtsp.internal;

import io.vencflow.core.codec.Pack;

/**
 * RFC 6184 packetization mode 1 (non-interleaved): single NAL unit packets and FU-A. The FU indicator
 * keeps the NAL unit's F and NRI bits with type 28; the FU header has S, E, a zero R bit and the
 * NAL unit type (RFC 6184 5.8).
 */
public final class H264RtpPacketizer extends RtpPacketizer {
    static final int FU_A = 28;

    public H264RtpPacketizer(int maxPayloadBytes) {
        super(maxPayloadBytes);
    }

    @Override
    protected int nalHeaderBytes() {
        return 1;
    }

    @Override
    protected int fuPrefixBytes() {
        return 2;
    }

    @Override
    protected byte[] fuPrefix(Pack pack, boolean start, boolean end) {
        int nalHeader = pack.byteAt(0) & 0xff;
        byte indicator = (byte) ((nalHeader & 0xe0) | FU_A);
        byte header = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | (nalHeader & 0x1f));
        return new byte[] {indicator, header};
    }
}
