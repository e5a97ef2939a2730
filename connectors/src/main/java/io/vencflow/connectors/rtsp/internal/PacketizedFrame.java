package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import java.util.List;

/**
 * One access unit packetized once for all clients of a channel: its NAL units copied into one direct
 * buffer and the RTP payloads that cut it up. Each client adds its own RTP headers (sequence,
 * timestamp, SSRC) and writes slices of the shared data, so a frame costs one copy however many
 * clients play it.
 *
 * <p>Reference counted: the publisher holds one reference and releases it after handing the frame to
 * every client; each client task holds one while it writes. Slices taken with {@link #slice} are
 * owned by the caller (they are retained slices).
 */
public final class PacketizedFrame extends AbstractReferenceCounted {
    private final long ptsMicros;
    private final boolean idr;
    private final boolean carriesParameterSets;
    private final ByteBuf data;
    private final int[] packOffsets;
    private final List<RtpPayload> payloads;
    private final int payloadBytes;

    private PacketizedFrame(long ptsMicros, boolean idr, boolean carriesParameterSets, ByteBuf data,
            int[] packOffsets, List<RtpPayload> payloads) {
        this.ptsMicros = ptsMicros;
        this.idr = idr;
        this.carriesParameterSets = carriesParameterSets;
        this.data = data;
        this.packOffsets = packOffsets;
        this.payloads = payloads;
        int bytes = 0;
        for (RtpPayload p : payloads) {
            bytes += p.size();
        }
        this.payloadBytes = bytes;
    }

    /** Packetizes {@code packs} (one access unit, or parameter sets) captured at {@code ptsMicros}. */
    public static PacketizedFrame of(ByteBufAllocator alloc, RtpPacketizer packetizer, Codec codec, long ptsMicros,
            List<Pack> packs) {
        List<RtpPayload> payloads = packetizer.packetize(packs);
        int total = 0;
        for (Pack p : packs) {
            total += p.size();
        }
        ByteBuf data = alloc.directBuffer(total, total);
        int[] offsets = new int[packs.size()];
        boolean idr = false;
        boolean parameterSets = false;
        for (int i = 0; i < packs.size(); i++) {
            Pack p = packs.get(i);
            offsets[i] = data.writerIndex();
            data.writeBytes(p.payload());
            idr |= NalUnit.isIdr(codec, p.nalType());
            parameterSets |= NalUnit.isParameterSet(codec, p.nalType());
        }
        return new PacketizedFrame(ptsMicros, idr, parameterSets, data, offsets, payloads);
    }

    /** Packetizes one access unit. */
    public static PacketizedFrame of(ByteBufAllocator alloc, RtpPacketizer packetizer, EncodedFrame frame) {
        return of(alloc, packetizer, frame.codec(), frame.ptsMicros(), frame.packs());
    }

    public long ptsMicros() {
        return ptsMicros;
    }

    /** Whether the access unit holds an IDR picture: a point where a client can start decoding. */
    public boolean idr() {
        return idr;
    }

    /** Whether the access unit carries parameter sets in front of its slices. */
    public boolean carriesParameterSets() {
        return carriesParameterSets;
    }

    public List<RtpPayload> payloads() {
        return payloads;
    }

    /** Payload bytes of all packets (RTP headers excluded). */
    public int payloadBytes() {
        return payloadBytes;
    }

    /** Bytes on the wire for all packets, with {@code perPacketOverhead} bytes of headers each. */
    public long wireBytes(int perPacketOverhead) {
        return payloadBytes + (long) perPacketOverhead * payloads.size();
    }

    /** The NAL bytes of one payload as a retained slice: the caller owns it and releases it (a write does). */
    public ByteBuf slice(RtpPayload payload) {
        return data.retainedSlice(packOffsets[payload.packIndex()] + payload.offset(), payload.length());
    }

    @Override
    protected void deallocate() {
        data.release();
    }

    @Override
    public PacketizedFrame touch(Object hint) {
        data.touch(hint);
        return this;
    }
}
