package io.vencflow.core.wire;

import static io.vencflow.core.wire.FrameRecordsTest.text;
import static io.vencflow.core.wire.FrameRecordsTest.withHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.wire.MalformedRecordException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NalRecordsTest {
    private static final int FRAMES = 12;

    /** Two GOPs of 6 frames of a moving 176x144 scene. */
    private static List<EncodedFrame> encode(Codec codec, Backend backend) {
        EncoderConfig config = EncoderConfig.builder().codec(codec).profile(codec == Codec.H264 ? Profile.BASELINE
                : Profile.MAIN).size(176, 144).gop(6).backend(backend).build();
        SyntheticScene scene = new SyntheticScene("door.1", 176, 144, PixelFormat.I420);
        List<EncodedFrame> out = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < FRAMES; i++) {
                EncodedFrame au = encoder.encode(scene.render(i, 1_000_000L + i * 33_333L));
                out.add(au.withGop(i / 6, i % 6));
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void accessUnitsRoundTripAndTheAppendedValuesDecodeCompletely(Codec codec) throws Exception {
        List<EncodedFrame> aus = encode(codec, Backend.FFMPEG);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (EncodedFrame au : aus) {
            WireRecord r = NalRecords.encode(au);
            assertEquals(au, NalRecords.decode(r));
            stream.write(r.value());
        }
        Decoded d = Decoded.ofAnnexB(codec, stream.toByteArray());
        assertEquals(FRAMES, d.frames().size());
        assertEquals(0, d.errors());
    }

    @Test
    void jcodecAccessUnitsRoundTripToo() throws Exception {
        for (EncodedFrame au : encode(Codec.H264, Backend.JCODEC)) {
            assertEquals(au, NalRecords.decode(NalRecords.encode(au)));
        }
    }

    @Test
    void headersAreUtf8TextAsTheContractSays() {
        List<EncodedFrame> aus = encode(Codec.H265, Backend.FFMPEG);
        WireRecord idr = NalRecords.encode(aus.get(6));
        assertEquals("door.1", new String(idr.key(), StandardCharsets.UTF_8));
        assertEquals(List.of("vf-seq", "vf-pts-us", "vf-codec", "vf-width", "vf-height", "vf-keyframe", "vf-gop",
                "vf-gop-pos"), List.copyOf(idr.headers().keySet()));
        assertEquals("6", text(idr, "vf-seq"));
        assertEquals("1199998", text(idr, "vf-pts-us"));
        assertEquals("h265", text(idr, "vf-codec"));
        assertEquals("176", text(idr, "vf-width"));
        assertEquals("144", text(idr, "vf-height"));
        assertEquals("1", text(idr, "vf-keyframe"));
        assertEquals("1", text(idr, "vf-gop"));
        assertEquals("0", text(idr, "vf-gop-pos"));
        assertArrayEquals(aus.get(6).toAnnexB(), idr.value());
        WireRecord p = NalRecords.encode(aus.get(8));
        assertEquals("0", text(p, "vf-keyframe"));
        assertEquals("2", text(p, "vf-gop-pos"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vf-seq", "vf-pts-us", "vf-codec", "vf-width", "vf-height", "vf-keyframe", "vf-gop",
        "vf-gop-pos"})
    void eachMissingHeaderIsNamed(String header) {
        WireRecord r = NalRecords.encode(encode(Codec.H264, Backend.JCODEC).get(0));
        Map<String, byte[]> h = new LinkedHashMap<>(r.headers());
        h.remove(header);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> NalRecords.decode(new WireRecord(r.key(), r.value(), h)));
        assertEquals(Problem.MISSING_HEADER, e.problem());
        assertEquals("record has no " + header + " header", e.getMessage());
    }

    @Test
    void anUnknownCodecIsRefused() {
        WireRecord r = withHeader(NalRecords.encode(encode(Codec.H264, Backend.JCODEC).get(0)), "vf-codec", "vp8");
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> NalRecords.decode(r));
        assertEquals(Problem.UNKNOWN_CODEC, e.problem());
        assertEquals("header vf-codec is 'vp8'; expected h264 or h265", e.getMessage());
    }

    @Test
    void aKeyframeFlagThatContradictsTheSlicesIsRefused() {
        List<EncodedFrame> aus = encode(Codec.H264, Backend.JCODEC);
        WireRecord pAsKey = withHeader(withHeader(NalRecords.encode(aus.get(1)), "vf-keyframe", "1"), "vf-gop-pos", "0");
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> NalRecords.decode(pAsKey));
        assertEquals(Problem.INVALID_ACCESS_UNIT, e.problem());
        assertEquals("NAL record #1 of channel door.1 has vf-keyframe 1 but holds no IDR slice", e.getMessage());
        WireRecord idrAsP = withHeader(withHeader(NalRecords.encode(aus.get(0)), "vf-keyframe", "0"), "vf-gop-pos", "3");
        e = assertThrows(MalformedRecordException.class, () -> NalRecords.decode(idrAsP));
        assertEquals("NAL record #0 of channel door.1 has vf-keyframe 0 but holds IDR slice", e.getMessage());
        e = assertThrows(MalformedRecordException.class,
                () -> NalRecords.decode(withHeader(NalRecords.encode(aus.get(0)), "vf-keyframe", "2")));
        assertEquals("header vf-keyframe is 2; expected 0..1", e.getMessage());
    }

    @Test
    void aGopPositionThatContradictsTheKeyframeFlagIsRefused() {
        WireRecord r = withHeader(NalRecords.encode(encode(Codec.H264, Backend.JCODEC).get(0)), "vf-gop-pos", "4");
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> NalRecords.decode(r));
        assertEquals(Problem.INVALID_HEADER, e.problem());
        assertEquals("NAL record #0 of channel door.1 has vf-keyframe 1 and vf-gop-pos 4; position 0 is the IDR and"
                + " only the IDR", e.getMessage());
    }

    @Test
    void valuesThatAreNoAccessUnitAreRefused() {
        EncodedFrame idr = encode(Codec.H264, Backend.JCODEC).get(0);
        WireRecord r = NalRecords.encode(idr);
        byte[] annexB = r.value();
        assertProblem(Problem.MISSING_VALUE, new WireRecord(r.key(), null, r.headers()));
        assertProblem(Problem.INVALID_ACCESS_UNIT, new WireRecord(r.key(), new byte[0], r.headers()));
        // The payload without its first start code: raw bytes, not Annex-B.
        MalformedRecordException e = assertProblem(Problem.INVALID_ACCESS_UNIT,
                new WireRecord(r.key(), Arrays.copyOfRange(annexB, 4, annexB.length), r.headers()));
        assertTrue(e.getMessage().contains("does not begin with an Annex-B start code"), e.getMessage());
        // Only the SPS: no picture.
        byte[] spsOnly = Arrays.copyOf(annexB, 4 + idr.packs().get(0).size());
        e = assertProblem(Problem.INVALID_ACCESS_UNIT, new WireRecord(r.key(), spsOnly, r.headers()));
        assertTrue(e.getMessage().endsWith("holds 1 NAL units but no slice; expected one picture"), e.getMessage());
        // A NAL header with the forbidden bit set.
        byte[] corrupt = annexB.clone();
        corrupt[4] |= (byte) 0x80;
        e = assertProblem(Problem.INVALID_ACCESS_UNIT, new WireRecord(r.key(), corrupt, r.headers()));
        assertTrue(e.getMessage().contains("forbidden_zero_bit set"), e.getMessage());
        // H.264 bytes labelled H.265: no H.265 slice among them.
        assertProblem(Problem.INVALID_ACCESS_UNIT, withHeader(r, "vf-codec", "h265"));
    }

    private static MalformedRecordException assertProblem(Problem expected, WireRecord r) {
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> NalRecords.decode(r));
        assertEquals(expected, e.problem(), e.getMessage());
        return e;
    }
}
