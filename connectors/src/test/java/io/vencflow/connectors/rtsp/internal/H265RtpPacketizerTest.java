package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H265RtpPacketizerTest {

    private static List<EncodedFrame> bbb() {
        return Decoded.accessUnits(Codec.H265,
                TestData.readAll(TestData.bitstream("h265/bbb_720p_x265_300f.h265")), "bbb").subList(0, 12);
    }

    @Test
    void aLargeNalUnitIsCutIntoFragmentationUnitsWithType49AndTheNalHeaderFieldsKept() {
        EncodedFrame idr = bbb().get(0);
        Pack slice = null;
        for (Pack p : idr.packs()) {
            if (p.nalType() == 19) {
                slice = p;
            }
        }
        assertNotNull(slice, "the first access unit holds an IDR_W_RADL slice");
        List<RtpPayload> payloads = new H265RtpPacketizer(1400).packetize(List.of(slice));
        assertEquals((slice.size() - 2 + 1396) / 1397, payloads.size());
        int b0 = slice.byteAt(0) & 0xff;
        int b1 = slice.byteAt(1) & 0xff;
        for (int i = 0; i < payloads.size(); i++) {
            RtpPayload p = payloads.get(i);
            byte[] prefix = p.prefix();
            assertEquals(3, prefix.length, "2-byte payload header and 1-byte FU header, no DONL");
            assertEquals(49, (prefix[0] >> 1) & 0x3f, "payload header type is FU (49)");
            assertEquals(b0 & 0x81, prefix[0] & 0x81, "F bit and LayerId high bit copied from the NAL unit");
            assertEquals(b1, prefix[1] & 0xff, "LayerId low bits and TID copied from the NAL unit");
            int fuHeader = prefix[2] & 0xff;
            assertEquals(i == 0, (fuHeader & 0x80) != 0, "S bit only on the first fragment");
            assertEquals(i == payloads.size() - 1, (fuHeader & 0x40) != 0, "E bit only on the last fragment");
            assertEquals(19, fuHeader & 0x3f, "FU header carries the NAL unit type");
            assertTrue(p.size() <= 1400);
        }
    }

    @Test
    void everyAccessUnitOfARealStreamSurvivesPacketizingAndReassembly() {
        H265RtpPacketizer packetizer = new H265RtpPacketizer(1400);
        for (EncodedFrame au : bbb()) {
            List<RtpPayload> payloads = packetizer.packetize(au.packs());
            List<byte[]> nals = reassemble(au, payloads);
            assertEquals(au.packs().size(), nals.size());
            for (int i = 0; i < nals.size(); i++) {
                assertArrayEquals(au.packs().get(i).toByteArray(), nals.get(i), "NAL unit " + i + " of " + au);
            }
            for (int i = 0; i < payloads.size(); i++) {
                assertEquals(i == payloads.size() - 1, payloads.get(i).marker());
            }
        }
    }

    @Test
    void parameterSetsAndSmallSlicesGoInSingleNalUnitPacketsHeaderIncluded() {
        EncodedFrame idr = bbb().get(0);
        List<RtpPayload> payloads = new H265RtpPacketizer(1400).packetize(idr.packs());
        for (int i = 0; i < 3; i++) {
            RtpPayload p = payloads.get(i);
            assertEquals(0, p.prefix().length);
            assertEquals(i, p.packIndex());
            assertEquals(idr.packs().get(i).size(), p.length());
            assertEquals(32 + i, (H264RtpPacketizerTest.wire(idr, p)[0] >> 1) & 0x3f, "VPS, SPS, PPS in order");
        }
    }

    /** RFC 7798 depacketization of single NAL unit packets and FUs, written independently of the packetizer. */
    static List<byte[]> reassemble(EncodedFrame au, List<RtpPayload> payloads) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream fu = null;
        for (RtpPayload p : payloads) {
            byte[] wire = H264RtpPacketizerTest.wire(au, p);
            int type = (wire[0] >> 1) & 0x3f;
            if (type == 49) {
                int fuHeader = wire[2] & 0xff;
                if ((fuHeader & 0x80) != 0) {
                    fu = new ByteArrayOutputStream();
                    fu.write((wire[0] & 0x81) | ((fuHeader & 0x3f) << 1));
                    fu.write(wire[1]);
                }
                assertNotNull(fu, "fragment without a start");
                fu.write(wire, 3, wire.length - 3);
                if ((fuHeader & 0x40) != 0) {
                    out.add(fu.toByteArray());
                    fu = null;
                }
            } else {
                out.add(wire);
            }
        }
        return out;
    }
}
