package io.vencflow.connectors.rtsp.internal;

/**
 * The payload of one RTP packet, described rather than copied: a few header bytes of the payload
 * format (none for a single NAL unit packet; the FU indicator and header of a fragment) followed by
 * {@code length} bytes of NAL unit {@code packIndex} of the access unit, from {@code offset}.
 *
 * @param prefix payload-format header bytes written before the NAL bytes (0 to 3 bytes)
 * @param packIndex index of the NAL unit among the access unit's packs
 * @param offset first byte of the NAL unit carried
 * @param length number of NAL unit bytes carried
 * @param marker whether this is the last packet of the access unit (the RTP marker bit)
 */
public record RtpPayload(byte[] prefix, int packIndex, int offset, int length, boolean marker) {
    static final byte[] NO_PREFIX = new byte[0];

    /** Bytes of RTP payload: the prefix and the NAL bytes. */
    public int size() {
        return prefix.length + length;
    }

    RtpPayload withMarker() {
        return new RtpPayload(prefix, packIndex, offset, length, true);
    }
}
