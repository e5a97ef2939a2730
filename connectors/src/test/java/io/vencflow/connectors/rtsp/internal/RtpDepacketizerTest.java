package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpDepacketizerTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    /** Whole RTP packets (header + payload) of the access units, 33.333 ms apart, as our packetizer makes them. */
    private static List<ByteBuf> packets(Codec codec, List<EncodedFrame> aus, int maxPayload) {
        RtpPacketizer packetizer = RtpPacketizer.forCodec(codec, maxPayload);
        RtpStream stream = new RtpStream(42, 65000, 7);
        List<ByteBuf> out = new ArrayList<>();
        for (int f = 0; f < aus.size(); f++) {
            EncodedFrame au = aus.get(f);
            int ts = stream.timestamp(1_700_000_000_000_000L + f * 33_333L);
            for (RtpPayload p : packetizer.packetize(au.packs())) {
                ByteBuf header = stream.writeHeader(ALLOC, p, ts, -1, p.marker());
                byte[] nal = au.packs().get(p.packIndex()).toByteArray();
                out.add(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(nal, p.offset(), p.length())));
            }
        }
        return out;
    }

    private static List<EncodedFrame> run(RtpDepacketizer d, List<ByteBuf> packets) {
        List<EncodedFrame> out = new ArrayList<>();
        for (ByteBuf p : packets) {
            EncodedFrame au = d.push(p, 96);
            if (au != null) {
                out.add(au);
            }
            p.release();
        }
        return out;
    }

    @Test
    void ourOwnPacketsOfBothCodecsComeBackAsTheSameAccessUnits() {
        for (Codec codec : Codec.values()) {
            String file = codec == Codec.H264 ? "h264/cars_320x240.h264" : "h265/cars_320x240.h265";
            List<EncodedFrame> aus = Decoded.accessUnits(codec, TestData.readAll(TestData.bitstream(file)), "cam");
            List<EncodedFrame> back = run(new RtpDepacketizer(codec, "cam", List.of()), packets(codec, aus, 500));
            assertEquals(aus.size(), back.size(), codec + " access units");
            for (int i = 0; i < aus.size(); i++) {
                assertEquals(aus.get(i).packs(), back.get(i).packs(), codec + " access unit " + i);
                assertEquals(320, back.get(i).width());
                assertEquals(aus.get(i).keyframe() && i == 0, back.get(i).keyframe() && i == 0);
            }
            long step = back.get(1).ptsMicros() - back.get(0).ptsMicros();
            assertTrue(Math.abs(step - 33_333) <= 12, "capture times keep the RTP clock's spacing: " + step);
        }
    }

    @Test
    void aLostPacketDropsEverythingUpToTheNextIdr() {
        List<EncodedFrame> aus = Decoded.accessUnits(Codec.H264, TestData.readAll(TestData.bitstream("h264/BA_MW_D.264")),
                "cam");
        List<ByteBuf> packets = packets(Codec.H264, aus.subList(0, 40), 1400);
        packets.remove(5).release(); // a packet of an early P frame
        RtpDepacketizer d = new RtpDepacketizer(Codec.H264, "cam", aus.get(0).packs().subList(0, 2));
        List<EncodedFrame> back = run(d, packets);
        // Frames 0..3 or so come through, then nothing until the IDR at 30, then 30..39.
        EncodedFrame resumed = back.stream().filter(f -> f.keyframe() && f.gopIndex() == 1).findFirst().orElseThrow();
        int at = back.indexOf(resumed);
        assertEquals(10, back.size() - at, "the IDR at frame 30 and the 9 frames after it");
        assertEquals(aus.get(30).packs(), resumed.packs());
        assertTrue(d.dropped() >= 25, "frames dropped until the IDR: " + d.dropped());
    }

    @Test
    void stapAAggregatesAreSplitIntoTheirNalUnits() {
        Pack sps = Pack.of(Codec.H264, new byte[] {0x67, 0x42, (byte) 0xc0, 0x1e, (byte) 0xda, 0x02, (byte) 0x80, (byte) 0xbf,
                (byte) 0xe5, (byte) 0xc0, 0x44, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, (byte) 0xf2, 0x3c, 0x58,
                (byte) 0xba, (byte) 0x80});
        List<EncodedFrame> aus = Decoded.accessUnits(Codec.H264, TestData.readAll(TestData.bitstream("h264/BA_MW_D.264")),
                "cam");
        List<Pack> first = aus.get(0).packs();
        // One STAP-A with the SPS and PPS, then the IDR slice whole; marker on the slice.
        ByteBuf stap = Unpooled.buffer();
        stap.writeByte(0x80).writeByte(96).writeShort(1).writeInt(9000).writeInt(1);
        stap.writeByte(24);
        for (Pack p : first.subList(0, 2)) {
            stap.writeShort(p.size()).writeBytes(p.toByteArray());
        }
        ByteBuf slice = Unpooled.buffer();
        slice.writeByte(0x80).writeByte(0x80 | 96).writeShort(2).writeInt(9000).writeInt(1);
        slice.writeBytes(first.get(2).toByteArray());
        RtpDepacketizer d = new RtpDepacketizer(Codec.H264, "cam", List.of(sps));
        assertNull(d.push(stap, 96));
        EncodedFrame au = d.push(slice, 96);
        assertEquals(first, au.packs());
        assertTrue(au.keyframe());
        assertEquals(176, au.width());
    }
}
