package io.vencflow.connectors.rtsp.internal;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.Pack;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one access unit into RTP payloads, in order, the last one carrying the marker bit: a NAL
 * unit that fits goes whole in a single NAL unit packet, a larger one in fragmentation units.
 * Aggregation packets are never made. Stateless and thread-safe.
 */
public abstract class RtpPacketizer {
    /** RTP payload size used unless configured otherwise: fits an Ethernet MTU with IP, UDP and RTP headers. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1400;
    /** The smallest payload that still carries NAL data in a fragment of either codec. */
    public static final int MIN_MAX_PAYLOAD_BYTES = 64;
    /** The largest payload an interleaved frame (16-bit length, 12-byte RTP header) can hold. */
    public static final int MAX_MAX_PAYLOAD_BYTES = 65535 - 12;

    private final int maxPayloadBytes;

    protected RtpPacketizer(int maxPayloadBytes) {
        if (maxPayloadBytes < MIN_MAX_PAYLOAD_BYTES || maxPayloadBytes > MAX_MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("RTP payload size " + maxPayloadBytes + " is out of range; expected "
                    + MIN_MAX_PAYLOAD_BYTES + ".." + MAX_MAX_PAYLOAD_BYTES + " bytes");
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The packetizer of RFC 6184 (H.264) or RFC 7798 (H.265). */
    public static RtpPacketizer forCodec(Codec codec, int maxPayloadBytes) {
        return codec == Codec.H264 ? new H264RtpPacketizer(maxPayloadBytes) : new H265RtpPacketizer(maxPayloadBytes);
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** The payloads of one access unit (its NAL units in decoding order); the last has the marker set. */
    public List<RtpPayload> packetize(List<Pack> packs) {
        if (packs.isEmpty()) {
            throw new IllegalArgumentException("an access unit without NAL units cannot be packetized");
        }
        List<RtpPayload> out = new ArrayList<>(packs.size() + 4);
        for (int i = 0; i < packs.size(); i++) {
            Pack pack = packs.get(i);
            if (pack.size() <= maxPayloadBytes) {
                out.add(new RtpPayload(RtpPayload.NO_PREFIX, i, 0, pack.size(), false));
            } else {
                fragment(pack, i, out);
            }
        }
        int last = out.size() - 1;
        out.set(last, out.get(last).withMarker());
        return out;
    }

    /** Splits one NAL unit larger than the payload size into fragmentation units. */
    private void fragment(Pack pack, int packIndex, List<RtpPayload> out) {
        int header = nalHeaderBytes();
        int chunk = maxPayloadBytes - fuPrefixBytes();
        int end = pack.size();
        for (int offset = header; offset < end; offset += chunk) {
            int length = Math.min(chunk, end - offset);
            boolean start = offset == header;
            boolean last = offset + length == end;
            out.add(new RtpPayload(fuPrefix(pack, start, last), packIndex, offset, length, false));
        }
    }

    /** Bytes of the NAL unit header, which a fragment does not repeat. */
    protected abstract int nalHeaderBytes();

    /** Bytes of the fragmentation unit's own headers. */
    protected abstract int fuPrefixBytes();

    /** The fragmentation unit headers for one fragment of {@code pack}. */
    protected abstract byte[] fuPrefix(Pack pack, boolean start, boolean end);
}
