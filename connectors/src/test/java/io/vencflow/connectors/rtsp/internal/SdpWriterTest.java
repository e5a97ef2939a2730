package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdpWriterTest {

    private static EncodedFrame first(Codec codec, String file) {
        return Decoded.accessUnits(codec, TestData.readAll(TestData.bitstream(file)), "cam").get(0);
    }

    private static Map<String, String> fmtp(String sdp) {
        String line = sdp.lines().filter(l -> l.startsWith("a=fmtp:96 ")).findFirst().orElseThrow();
        Map<String, String> params = new HashMap<>();
        for (String kv : line.substring("a=fmtp:96 ".length()).split(";")) {
            int eq = kv.indexOf('=');
            params.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return params;
    }

    @Test
    void anH264DescriptionCarriesModeOneTheSpsProfileLevelAndBothParameterSets() {
        EncodedFrame idr = first(Codec.H264, "h264/cars_320x240.h264");
        ParameterSets ps = ParameterSets.empty(Codec.H264).update(idr.packs());
        assertTrue(ps.complete());
        String sdp = SdpWriter.write("cam-1", ps, "127.0.0.1", 42, 1);

        assertTrue(sdp.startsWith("v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=cam-1\r\n"), sdp);
        assertTrue(sdp.contains("\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"), sdp);
        assertTrue(sdp.contains("\r\na=control:*\r\n"), "session-level aggregate control");
        assertTrue(sdp.endsWith("a=control:trackID=0\r\n"), sdp);
        assertFalse(sdp.replace("\r\n", "").contains("\n"), "every line ends with CRLF");

        Map<String, String> fmtp = fmtp(sdp);
        assertEquals("1", fmtp.get("packetization-mode"));
        byte[] sps = ps.sps().toByteArray();
        // profile-level-id is the three bytes after the SPS NAL header (RFC 6184 8.1).
        assertEquals(String.format("%02x%02x%02x", sps[1], sps[2], sps[3]), fmtp.get("profile-level-id"));
        assertEquals("64000d", fmtp.get("profile-level-id"), "cars_320x240.h264 is High profile, level 1.3");
        String[] sprop = fmtp.get("sprop-parameter-sets").split(",");
        assertEquals(2, sprop.length);
        assertArrayEquals(sps, Base64.getDecoder().decode(sprop[0]));
        assertArrayEquals(ps.pps().toByteArray(), Base64.getDecoder().decode(sprop[1]));
    }

    @Test
    void anH265DescriptionCarriesProfileTierLevelAndTheThreeParameterSets() {
        EncodedFrame idr = first(Codec.H265, "h265/bbb_720p_x265_300f.h265");
        ParameterSets ps = ParameterSets.empty(Codec.H265).update(idr.packs());
        String sdp = SdpWriter.write("bbb", ps, "::1", 7, 3);
        assertTrue(sdp.contains("o=- 7 3 IN IP6 ::1\r\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:96 H265/90000\r\n"), sdp);
        Map<String, String> fmtp = fmtp(sdp);
        assertEquals("1", fmtp.get("profile-id"), "Main profile");
        assertEquals("0", fmtp.get("tier-flag"));
        assertEquals("93", fmtp.get("level-id"), "level 3.1 is 93");
        assertArrayEquals(ps.vps().toByteArray(), Base64.getDecoder().decode(fmtp.get("sprop-vps")));
        assertArrayEquals(ps.sps().toByteArray(), Base64.getDecoder().decode(fmtp.get("sprop-sps")));
        assertArrayEquals(ps.pps().toByteArray(), Base64.getDecoder().decode(fmtp.get("sprop-pps")));
        assertEquals(32, (ps.vps().byteAt(0) >> 1) & 0x3f);
    }

    @Test
    void parameterSetsKeepTheLatestOfEachTypeAndIgnoreAccessUnitsWithoutThem() {
        List<EncodedFrame> aus = Decoded.accessUnits(Codec.H264,
                TestData.readAll(TestData.bitstream("h264/cars_320x240.h264")), "cam");
        ParameterSets ps = ParameterSets.empty(Codec.H264);
        assertFalse(ps.complete());
        ps = ps.update(aus.get(0).packs());
        assertSame(ps, ps.update(aus.get(1).packs()), "a P frame leaves them as they are");
        assertSame(ps, ps.update(aus.get(0).packs()), "the same parameter sets again change nothing");
        Pack newPps = Pack.of(Codec.H264, new byte[] {0x68, (byte) 0xee, 0x3c, (byte) 0x80});
        ParameterSets updated = ps.update(List.of(newPps));
        assertEquals(newPps, updated.pps());
        assertEquals(ps.sps(), updated.sps());
        assertEquals(List.of(ps.sps(), newPps), updated.packs());
    }

    @Test
    void describingAChannelWithoutParameterSetsIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SdpWriter.write("cam-9", ParameterSets.empty(Codec.H265), "127.0.0.1", 1, 1));
        assertTrue(e.getMessage().contains("cam-9") && e.getMessage().contains("H265"), e.getMessage());
    }
}
