package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a publisher's RTP packets back into access units: RFC 6184 (single NAL unit, STAP-A, FU-A) or
 * RFC 7798 (single, AP, FU) without DONL. An access unit ends at the marker bit or when the timestamp
 * changes. A lost packet (a sequence gap) drops what it touched and everything up to the next IDR, so
 * that nothing undecodable is relayed.
 *
 * <p>Capture times come from the publisher's sender reports when it sends them (RTP time to wall
 * clock), else from the arrival time of its first packet. Not thread-safe: one per publishing session.
 */
public final class RtpDepacketizer {
    private final Codec codec;
    private final String channel;
    private ParameterSets parameterSets;
    private final List<Pack> current = new ArrayList<>();
    private ByteArrayOutputStream fragment;
    private boolean haveCurrent;
    private int currentTimestamp;
    private int expectedSequence = -1;
    private boolean waitingForIdr = true;
    private long sequence;
    private long gopIndex = -1;
    private int gopPosition;
    private long dropped;
    // RTP time to capture time: capture micros at RTP time reference (unwrapped).
    private boolean mapped;
    private long referenceRtp;
    private long referenceMicros;
    private long lastUnwrapped;

    public RtpDepacketizer(Codec codec, String channel, List<Pack> announcedParameterSets) {
        this.codec = codec;
        this.channel = channel;
        this.parameterSets = ParameterSets.empty(codec).update(announcedParameterSets);
    }

    /** Access units dropped because packets were lost or malformed. */
    public long dropped() {
        return dropped;
    }

    /** Maps RTP time to capture time from an RTCP sender report (NTP time and RTP time of one instant). */
    public void senderReport(long ntpTimestamp, int rtpTimestamp) {
        long seconds = (ntpTimestamp >>> 32) - RtpClock.NTP_UNIX_OFFSET_SECONDS;
        long micros = ((ntpTimestamp & 0xffff_ffffL) * 1_000_000L) >>> 32;
        referenceMicros = seconds * 1_000_000L + micros;
        referenceRtp = mapped ? unwrap(rtpTimestamp) : (rtpTimestamp & 0xffff_ffffL);
        lastUnwrapped = referenceRtp;
        mapped = true;
    }

    /**
     * Takes one RTP packet (the buffer stays the caller's) and returns the access unit it completed, or
     * null. Packets of another payload type are ignored.
     */
    public EncodedFrame push(ByteBuf packet, int payloadType) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < 12 || (packet.getUnsignedByte(start) >> 6) != 2) {
            return lose();
        }
        int b0 = packet.getUnsignedByte(start);
        int b1 = packet.getUnsignedByte(start + 1);
        if ((b1 & 0x7f) != payloadType) {
            return null;
        }
        boolean marker = (b1 & 0x80) != 0;
        int seq = packet.getUnsignedShort(start + 2);
        int timestamp = packet.getInt(start + 4);
        int offset = 12 + 4 * (b0 & 0x0f);
        if ((b0 & 0x10) != 0) { // header extension
            if (length < offset + 4) {
                return lose();
            }
            offset += 4 + 4 * packet.getUnsignedShort(start + offset + 2);
        }
        int end = length;
        if ((b0 & 0x20) != 0) { // padding
            end -= packet.getUnsignedByte(start + length - 1);
        }
        if (offset >= end) {
            return lose();
        }
        EncodedFrame done = null;
        if (expectedSequence >= 0 && seq != expectedSequence) {
            done = lose(); // a gap: the current access unit is incomplete
        }
        expectedSequence = (seq + 1) & 0xffff;
        if (haveCurrent && timestamp != currentTimestamp) {
            EncodedFrame finished = finish();
            done = done != null ? done : finished;
        }
        if (!haveCurrent) {
            haveCurrent = true;
            currentTimestamp = timestamp;
        }
        byte[] payload = ByteBufUtil.getBytes(packet, start + offset, end - offset);
        if (!depacketize(payload)) {
            return lose();
        }
        if (marker) {
            EncodedFrame finished = finish();
            return done != null ? done : finished;
        }
        return done;
    }

    private boolean depacketize(byte[] p) {
        return codec == Codec.H264 ? h264(p) : h265(p);
    }

    private boolean h264(byte[] p) {
        int type = p[0] & 0x1f;
        if (type >= 1 && type <= 23) {
            current.add(Pack.of(codec, p));
            return true;
        }
        if (type == 24) { // STAP-A
            return aggregation(p, 1);
        }
        if (type == 28) { // FU-A
            if (p.length < 3) {
                return false;
            }
            boolean s = (p[1] & 0x80) != 0;
            boolean e = (p[1] & 0x40) != 0;
            if (s) {
                fragment = new ByteArrayOutputStream(p.length * 4);
                fragment.write((p[0] & 0xe0) | (p[1] & 0x1f));
            } else if (fragment == null) {
                return false;
            }
            fragment.write(p, 2, p.length - 2);
            if (e) {
                current.add(Pack.of(codec, fragment.toByteArray()));
                fragment = null;
            }
            return true;
        }
        return false; // STAP-B, MTAP, FU-B: interleaved mode, not supported
    }

    private boolean h265(byte[] p) {
        if (p.length < 2) {
            return false;
        }
        int type = (p[0] >> 1) & 0x3f;
        if (type < 48) {
            current.add(Pack.of(codec, p)); // header-only units (end of sequence, end of bitstream) included
            return true;
        }
        if (p.length < 3) {
            return false;
        }
        if (type == 48) { // AP
            return aggregation(p, 2);
        }
        if (type == 49) { // FU
            int fu = p[2] & 0xff;
            boolean s = (fu & 0x80) != 0;
            boolean e = (fu & 0x40) != 0;
            if (s) {
                fragment = new ByteArrayOutputStream(p.length * 4);
                fragment.write((p[0] & 0x81) | ((fu & 0x3f) << 1));
                fragment.write(p[1]);
            } else if (fragment == null) {
                return false;
            }
            fragment.write(p, 3, p.length - 3);
            if (e) {
                current.add(Pack.of(codec, fragment.toByteArray()));
                fragment = null;
            }
            return true;
        }
        return false; // PACI and reserved types
    }

    /** Aggregation packets: after the payload header, units of a 16-bit size and a NAL unit. */
    private boolean aggregation(byte[] p, int headerBytes) {
        int i = headerBytes;
        while (i + 2 <= p.length) {
            int size = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
            i += 2;
            if (size == 0 || i + size > p.length) {
                return false;
            }
            byte[] nal = new byte[size];
            System.arraycopy(p, i, nal, 0, size);
            current.add(Pack.of(codec, nal));
            i += size;
        }
        return i == p.length;
    }

    /** Drops the access unit in progress and waits for the next IDR; returns null. */
    private EncodedFrame lose() {
        if (haveCurrent) {
            dropped++;
        }
        current.clear();
        fragment = null;
        haveCurrent = false;
        waitingForIdr = true;
        return null;
    }

    private EncodedFrame finish() {
        List<Pack> packs = List.copyOf(current);
        current.clear();
        haveCurrent = false;
        if (fragment != null) { // a fragment without its end: incomplete
            fragment = null;
            waitingForIdr = true;
            dropped++;
            return null;
        }
        if (packs.isEmpty()) {
            return null;
        }
        boolean idr = false;
        for (Pack p : packs) {
            idr |= NalUnit.isIdr(codec, p.nalType());
        }
        parameterSets = parameterSets.update(packs);
        if (waitingForIdr && (!idr || !parameterSets.complete())) {
            dropped++;
            return null;
        }
        waitingForIdr = false;
        if (idr) {
            gopIndex++;
            gopPosition = 0;
        } else {
            gopPosition++;
        }
        SequenceParameterSet sps = parameterSets.parsedSps();
        return new EncodedFrame(channel, sequence++, captureMicros(currentTimestamp), codec, sps.width(), sps.height(),
                idr, gopIndex, gopPosition, packs);
    }

    private long captureMicros(int timestamp) {
        if (!mapped) {
            mapped = true;
            referenceRtp = timestamp & 0xffff_ffffL;
            lastUnwrapped = referenceRtp;
            referenceMicros = RtpClock.nowMicros();
        }
        long unwrapped = unwrap(timestamp);
        return referenceMicros + Math.floorDiv((unwrapped - referenceRtp) * 100, 9);
    }

    /** The 32-bit timestamp extended to 64 bits next to the last one seen. */
    private long unwrap(int timestamp) {
        int delta = timestamp - (int) lastUnwrapped; // the 32-bit difference, signed
        lastUnwrapped += delta;
        return lastUnwrapped;
    }
}
