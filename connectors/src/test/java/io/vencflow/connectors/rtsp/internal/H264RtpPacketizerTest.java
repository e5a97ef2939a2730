package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H264RtpPacketizerTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    private static List<EncodedFrame> cars() {
        return Decoded.accessUnits(Codec.H264, TestData.readAll(TestData.bitstream("h264/cars_320x240.h264")), "cars");
    }

    @Test
    void smallNalUnitsGoWholeInSingleNalUnitPacketsWithTheMarkerOnlyOnTheLast() {
        List<Pack> packs = List.of(Pack.of(Codec.H264, new byte[] {0x67, 0x42, 0x00, 0x1f}),
                Pack.of(Codec.H264, new byte[] {0x68, (byte) 0xce, 0x3c, (byte) 0x80}),
                Pack.of(Codec.H264, new byte[] {0x65, (byte) 0x88, 0x01, 0x02, 0x03}));
        List<RtpPayload> payloads = new H264RtpPacketizer(1400).packetize(packs);
        assertEquals(3, payloads.size());
        for (int i = 0; i < 3; i++) {
            RtpPayload p = payloads.get(i);
            assertEquals(0, p.prefix().length, "a single NAL unit packet has no payload header of its own");
            assertEquals(i, p.packIndex());
            assertEquals(0, p.offset());
            assertEquals(packs.get(i).size(), p.length());
            assertEquals(i == 2, p.marker(), "marker only on the access unit's last packet");
        }
    }

    @Test
    void aNalUnitAboveThePayloadSizeIsCutIntoFuAFragmentsThatReassembleExactly() {
        EncodedFrame idr = cars().get(0);
        Pack slice = idr.packs().get(idr.packs().size() - 1);
        assertEquals(5, slice.nalType());
        assertTrue(slice.size() > 1400 * 3, "the test needs a large IDR slice, got " + slice.size());

        List<RtpPayload> payloads = new H264RtpPacketizer(1400).packetize(List.of(slice));
        int expectedFragments = (slice.size() - 1 + 1397) / 1398;
        assertEquals(expectedFragments, payloads.size());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int nalHeader = slice.byteAt(0) & 0xff;
        for (int i = 0; i < payloads.size(); i++) {
            RtpPayload p = payloads.get(i);
            assertTrue(p.size() <= 1400, "payload of " + p.size() + " bytes exceeds 1400");
            byte[] prefix = p.prefix();
            assertEquals(2, prefix.length);
            int indicator = prefix[0] & 0xff;
            int header = prefix[1] & 0xff;
            assertEquals(28, indicator & 0x1f, "FU indicator type is FU-A (28)");
            assertEquals(nalHeader & 0xe0, indicator & 0xe0, "FU indicator keeps F and NRI of the NAL unit");
            assertEquals(i == 0, (header & 0x80) != 0, "S bit only on the first fragment");
            assertEquals(i == payloads.size() - 1, (header & 0x40) != 0, "E bit only on the last fragment");
            assertEquals(0, header & 0x20, "R bit is zero");
            assertEquals(5, header & 0x1f, "FU header carries the NAL unit type");
            assertEquals(i == payloads.size() - 1, p.marker());
            byte[] bytes = slice.toByteArray();
            data.write(bytes, p.offset(), p.length());
        }
        byte[] rebuilt = new byte[1 + data.size()];
        rebuilt[0] = (byte) ((payloads.get(0).prefix()[0] & 0xe0) | (payloads.get(0).prefix()[1] & 0x1f));
        System.arraycopy(data.toByteArray(), 0, rebuilt, 1, data.size());
        assertArrayEquals(slice.toByteArray(), rebuilt);
    }

    @Test
    void everyAccessUnitOfARealStreamSurvivesPacketizingAndReassembly() {
        H264RtpPacketizer packetizer = new H264RtpPacketizer(1000);
        int fragmented = 0;
        for (EncodedFrame au : cars()) {
            List<RtpPayload> payloads = packetizer.packetize(au.packs());
            List<byte[]> nals = reassemble(au, payloads);
            assertEquals(au.packs().size(), nals.size());
            for (int i = 0; i < nals.size(); i++) {
                assertArrayEquals(au.packs().get(i).toByteArray(), nals.get(i), "NAL unit " + i + " of " + au);
            }
            long markers = payloads.stream().filter(RtpPayload::marker).count();
            assertEquals(1, markers);
            assertTrue(payloads.get(payloads.size() - 1).marker());
            fragmented += payloads.stream().filter(p -> p.prefix().length > 0).count() > 0 ? 1 : 0;
        }
        assertTrue(fragmented > 0, "the stream has access units above 1000 bytes");
    }

    @Test
    void rtpHeadersCarryVersionPayloadTypeConsecutiveSequenceOneTimestampPerAccessUnitAndTheSsrc() {
        List<EncodedFrame> aus = cars().subList(0, 3);
        RtpStream stream = new RtpStream(0xcafebabe, 65534, 1000);
        H264RtpPacketizer packetizer = new H264RtpPacketizer(1400);
        int expectedSeq = 65534;
        long[] pts = {1_700_000_000_000_000L, 1_700_000_000_033_333L, 1_700_000_000_066_667L};
        for (int f = 0; f < aus.size(); f++) {
            List<RtpPayload> payloads = packetizer.packetize(aus.get(f).packs());
            int ts = stream.timestamp(pts[f]);
            assertEquals((int) ((pts[f] * 9 + 50) / 100 + 1000), ts);
            for (RtpPayload p : payloads) {
                ByteBuf header = stream.writeHeader(ALLOC, p, ts, 2, p.marker());
                try {
                    assertEquals('$', header.getByte(0));
                    assertEquals(2, header.getByte(1));
                    assertEquals(12 + p.size(), header.getUnsignedShort(2), "interleaved length covers RTP header and payload");
                    assertEquals(0x80, header.getUnsignedByte(4), "V=2, P=0, X=0, CC=0");
                    assertEquals((p.marker() ? 0x80 : 0) | 96, header.getUnsignedByte(5));
                    assertEquals(expectedSeq, header.getUnsignedShort(6));
                    assertEquals(ts, header.getInt(8));
                    assertEquals(0xcafebabe, header.getInt(12));
                    assertEquals(4 + 12 + p.prefix().length, header.readableBytes());
                } finally {
                    header.release();
                }
                expectedSeq = (expectedSeq + 1) & 0xffff;
            }
        }
        assertTrue(expectedSeq < 65534, "the sequence number wrapped from 65535 to 0");
        assertEquals(expectedSeq, stream.nextSequence());
        assertEquals(3000, stream.timestamp(1_700_000_000_066_667L) - stream.timestamp(1_700_000_000_033_333L));
    }

    @Test
    void aPayloadSizeOutsideTheUsableRangeIsRefusedWithTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new H264RtpPacketizer(10));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("64..65523"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new H264RtpPacketizer(70_000));
    }

    /** RFC 6184 depacketization of single NAL unit packets and FU-A, written independently of the packetizer. */
    static List<byte[]> reassemble(EncodedFrame au, List<RtpPayload> payloads) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream fu = null;
        for (RtpPayload p : payloads) {
            byte[] wire = wire(au, p);
            int type = wire[0] & 0x1f;
            if (type == 28) {
                boolean start = (wire[1] & 0x80) != 0;
                boolean end = (wire[1] & 0x40) != 0;
                if (start) {
                    fu = new ByteArrayOutputStream();
                    fu.write((wire[0] & 0xe0) | (wire[1] & 0x1f));
                }
                assertFalse(fu == null, "fragment without a start");
                fu.write(wire, 2, wire.length - 2);
                if (end) {
                    out.add(fu.toByteArray());
                    fu = null;
                }
            } else {
                out.add(wire);
            }
        }
        return out;
    }

    /** The payload bytes as they go on the wire. */
    static byte[] wire(EncodedFrame au, RtpPayload p) {
        byte[] nal = au.packs().get(p.packIndex()).toByteArray();
        byte[] wire = new byte[p.size()];
        System.arraycopy(p.prefix(), 0, wire, 0, p.prefix().length);
        System.arraycopy(nal, p.offset(), wire, p.prefix().length, p.length());
        return wire;
    }
}
