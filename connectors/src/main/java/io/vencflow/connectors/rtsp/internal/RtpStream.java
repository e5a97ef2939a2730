package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.random.RandomGenerator;

/**
 * The RTP state of one outgoing stream (one client session or one push): SSRC, the next sequence
 * number and the timestamp offset, all random at the start (RFC 3550 5.1), and the counts a sender
 * report needs. Not thread-safe: one stream is written from one event loop.
 */
public final class RtpStream {
    /** The dynamic payload type the SDP maps to H264/90000 or H265/90000. */
    public static final int PAYLOAD_TYPE = 96;
    static final int HEADER_BYTES = 12;
    static final int INTERLEAVED_PREFIX_BYTES = 4;

    private final int ssrc;
    private final int timestampOffset;
    private int nextSequence;
    private long packets;
    private long octets;

    public RtpStream(int ssrc, int firstSequence, int timestampOffset) {
        this.ssrc = ssrc;
        this.nextSequence = firstSequence & 0xffff;
        this.timestampOffset = timestampOffset;
    }

    /** A stream with random SSRC, first sequence number and timestamp offset. */
    public static RtpStream random(RandomGenerator random) {
        return new RtpStream(random.nextInt(), random.nextInt(), random.nextInt());
    }

    public int ssrc() {
        return ssrc;
    }

    /** The sequence number the next packet will carry (RTP-Info {@code seq}). */
    public int nextSequence() {
        return nextSequence;
    }

    /** The RTP timestamp of a capture time in this stream. */
    public int timestamp(long ptsMicros) {
        return RtpClock.rtpTimestamp(ptsMicros, timestampOffset);
    }

    /** Packets sent so far (for sender reports). */
    public long packets() {
        return packets;
    }

    /** Payload octets sent so far (for sender reports: headers excluded). */
    public long octets() {
        return octets;
    }

    /**
     * Writes the headers of the next packet into a new buffer from {@code alloc}, which the caller
     * owns: the 4-byte interleaved frame prefix when {@code interleavedChannel} is 0..255 (RFC 2326
     * 10.12), the 12-byte RTP header (RFC 3550 5.1) and the payload format's prefix bytes. The NAL
     * bytes of the payload follow it on the wire. {@code marker} is the payload's own marker, or false
     * for parameter sets sent ahead of an access unit.
     */
    public ByteBuf writeHeader(ByteBufAllocator alloc, RtpPayload payload, int timestamp, int interleavedChannel,
            boolean marker) {
        boolean interleaved = interleavedChannel >= 0;
        int size = (interleaved ? INTERLEAVED_PREFIX_BYTES : 0) + HEADER_BYTES + payload.prefix().length;
        ByteBuf buf = alloc.directBuffer(size, size);
        if (interleaved) {
            buf.writeByte('$');
            buf.writeByte(interleavedChannel);
            buf.writeShort(HEADER_BYTES + payload.size());
        }
        buf.writeByte(0x80); // V=2, no padding, no extension, no CSRC
        buf.writeByte((marker ? 0x80 : 0) | PAYLOAD_TYPE);
        buf.writeShort(nextSequence);
        buf.writeInt(timestamp);
        buf.writeInt(ssrc);
        buf.writeBytes(payload.prefix());
        nextSequence = (nextSequence + 1) & 0xffff;
        packets++;
        octets += payload.size();
        return buf;
    }
}
