package io.vencflow.core.codec.ffmpeg;

import static io.vencflow.core.testing.Encoding.encodeAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.PackType;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FfmpegEncoderTest {
    private static List<Frame> moving720p;

    @BeforeAll
    static void render() {
        SyntheticScene scene = new SyntheticScene("hd", 1280, 720, PixelFormat.I420);
        moving720p = new ArrayList<>(300);
        for (int i = 0; i < 300; i++) {
            moving720p.add(scene.render(i, i * 33_333L));
        }
    }

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (Codec codec : Codec.values()) {
            for (Profile profile : Profile.values()) {
                if (!profile.isValidFor(codec)) {
                    continue;
                }
                for (RateControlMode rc : RateControlMode.values()) {
                    out.add(Arguments.of(codec, profile, rc));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("combinations")
    void everyCodecProfileAndRateControlDecodesEveryFrameOfEveryClipWithoutErrors(Codec codec, Profile profile,
            RateControlMode rc) {
        for (TestData.RawClip clip : TestData.RAW_CLIPS) {
            List<Frame> source = clip.read("clip");
            EncoderConfig config = EncoderConfig.builder().codec(codec).profile(profile).rateControl(rc)
                    .size(clip.width(), clip.height()).backend(Backend.FFMPEG).build();
            Decoded decoded = Decoded.of(encodeAll(config, source));
            assertEquals(0, decoded.errors(), clip + " decode errors");
            assertEquals(clip.frames(), decoded.frames().size(), clip + " frames");
            decoded.against(source); // sequences match one to one
        }
        EncoderConfig hd = EncoderConfig.builder().codec(codec).profile(profile).rateControl(rc).size(1280, 720)
                .preset(io.vencflow.core.codec.Preset.ULTRAFAST).threads(0).backend(Backend.FFMPEG).build();
        List<EncodedFrame> out = encodeAll(hd, moving720p);
        Decoded decoded = Decoded.of(out);
        assertEquals(0, decoded.errors(), "1280x720 decode errors");
        assertEquals(300, decoded.frames().size(), "1280x720 frames");
        SequenceParameterSet sps = SequenceParameterSet.parse(codec, spsOf(out.get(0), codec));
        int expectedProfileIdc = codec == Codec.H265 ? 1 : switch (profile) {
            case BASELINE -> 66;
            case MAIN -> 77;
            case HIGH -> 100;
        };
        assertEquals(expectedProfileIdc, sps.profileIdc(), "profile_idc");
        assertEquals(1280, sps.width());
        assertEquals(720, sps.height());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Codec.class)
    void defaultSettingsKeepLumaAbove38DbOnRealClips(Codec codec) {
        for (TestData.RawClip clip : TestData.RAW_CLIPS) {
            List<Frame> source = clip.read("clip");
            EncoderConfig config = EncoderConfig.builder().codec(codec).size(clip.width(), clip.height()).build();
            PlaneStats stats = Decoded.of(encodeAll(config, source)).against(source);
            assertTrue(stats.psnr(0) >= 38.0, codec + " " + clip + ": " + stats);
            assertTrue(stats.psnr(1) >= 35.0 && stats.psnr(2) >= 35.0, codec + " " + clip + ": " + stats);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Codec.class)
    void cbrAtTwoMegabitsHoldsTheTargetWithinTenPercentAndNoSecondAboveOneAndAHalfTimesIt(Codec codec) {
        long target = 2_000_000;
        EncoderConfig config = EncoderConfig.builder().codec(codec).size(1280, 720).fps(30).bitrateBps(target)
                .rateControl(RateControlMode.CBR).preset(io.vencflow.core.codec.Preset.ULTRAFAST).threads(0)
                .backend(Backend.FFMPEG).build();
        List<EncodedFrame> out = encodeAll(config, moving720p);
        long[] bits = new long[out.size()];
        long total = 0;
        for (int i = 0; i < out.size(); i++) {
            bits[i] = 8L * out.get(i).annexBSize();
            total += bits[i];
        }
        double average = total / 10.0; // 300 frames at 30 fps
        assertTrue(Math.abs(average - target) <= 0.10 * target, codec + " average " + average + " bit/s");
        long worst = 0;
        for (int start = 0; start + 30 <= bits.length; start++) {
            long window = 0;
            for (int i = start; i < start + 30; i++) {
                window += bits[i];
            }
            worst = Math.max(worst, window);
        }
        assertTrue(worst <= 1.5 * target, codec + " worst one-second window " + worst + " bit");
        assertEquals(0, Decoded.of(out).errors());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Codec.class)
    void keyframesComeExactlyEveryGopAndOnRequestWithParameterSetsInFrontOnly(Codec codec) {
        SyntheticScene scene = new SyntheticScene("gop", 320, 240, PixelFormat.I420);
        EncoderConfig config = EncoderConfig.builder().codec(codec).size(320, 240).gop(12).backend(Backend.FFMPEG).build();
        List<EncodedFrame> out = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < 40; i++) {
                if (i == 17) {
                    encoder.requestKeyframe();
                }
                out.add(encoder.encode(scene.render(i, i * 33_333L)));
            }
        }
        Set<Integer> expected = Set.of(0, 12, 17, 29);
        int sps = codec == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS;
        for (EncodedFrame f : out) {
            int i = (int) f.sequence();
            boolean idr = expected.contains(i);
            assertEquals(idr, f.keyframe(), "keyframe flag of frame " + i);
            boolean sawSps = false;
            boolean sawIdr = false;
            boolean sawOtherSlice = false;
            for (Pack p : f.packs()) {
                sawSps |= p.nalType() == sps;
                if (p.type() == PackType.I) {
                    sawIdr = true;
                    assertTrue(NalUnit.isIdr(codec, p.nalType()), "an I pack is an IDR slice: " + p);
                } else if (p.type() == PackType.P) {
                    sawOtherSlice = true;
                }
                if (NalUnit.isParameterSet(codec, p.nalType())) {
                    assertFalse(sawIdr || sawOtherSlice, "parameter sets precede the slices of frame " + i);
                }
            }
            assertEquals(idr, sawSps, "SPS in frame " + i);
            assertEquals(idr, sawIdr, "IDR slice in frame " + i);
            assertEquals(!idr, sawOtherSlice, "P slices in frame " + i);
        }
        Decoded decoded = Decoded.of(out);
        assertEquals(0, decoded.errors());
        assertEquals(40, decoded.frames().size());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Codec.class)
    void everyThreadCountGivesOneAccessUnitPerFrameWithoutHoldingFramesBack(Codec codec) {
        SyntheticScene scene = new SyntheticScene("threads", 640, 360, PixelFormat.I420);
        for (int threads : new int[] {1, 2, 4, 0}) {
            EncoderConfig config = EncoderConfig.builder().codec(codec).size(640, 360).threads(threads)
                    .backend(Backend.FFMPEG).build();
            try (VideoEncoder encoder = VideoEncoder.open(config)) {
                for (int i = 0; i < 6; i++) {
                    EncodedFrame e = encoder.encode(scene.render(i, i));
                    assertEquals(i, e.sequence(), codec + " threads " + threads);
                }
            }
        }
    }

    @Test
    void setBitrateChangesTheH264RateWithoutANewIdr() {
        EncoderConfig config = EncoderConfig.builder().size(1280, 720).bitrateBps(4_000_000).gop(300)
                .preset(io.vencflow.core.codec.Preset.ULTRAFAST).threads(0).backend(Backend.FFMPEG).build();
        List<EncodedFrame> out = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < 300; i++) {
                if (i == 150) {
                    encoder.setBitrate(1_000_000);
                }
                out.add(encoder.encode(moving720p.get(i)));
            }
        }
        long firstHalf = 0;
        long secondHalf = 0;
        for (int i = 0; i < 300; i++) {
            if (i > 0) {
                assertFalse(out.get(i).keyframe(), "frame " + i + " is an IDR");
            }
            if (i >= 30 && i < 150) {
                firstHalf += out.get(i).annexBSize();
            } else if (i >= 180) {
                secondHalf += out.get(i).annexBSize();
            }
        }
        double before = firstHalf * 8 / 4.0;
        double after = secondHalf * 8 / 4.0;
        assertTrue(Math.abs(before - 4_000_000) < 0.2 * 4_000_000, "before " + before);
        assertTrue(Math.abs(after - 1_000_000) < 0.2 * 1_000_000, "after " + after);
        assertEquals(0, Decoded.of(out).errors());
    }

    @Test
    void setBitrateOnH265ReopensTheEncoderAtAnIdrAndTheStreamStaysDecodable() {
        EncoderConfig config = EncoderConfig.builder().codec(Codec.H265).size(640, 360).bitrateBps(2_000_000).gop(300)
                .preset(io.vencflow.core.codec.Preset.ULTRAFAST).backend(Backend.FFMPEG).build();
        SyntheticScene scene = new SyntheticScene("h265rate", 640, 360, PixelFormat.I420);
        List<EncodedFrame> out = new ArrayList<>();
        try (FfmpegEncoder encoder = new FfmpegEncoder(config)) {
            for (int i = 0; i < 120; i++) {
                if (i == 60) {
                    encoder.setBitrate(400_000);
                    assertEquals(400_000, encoder.bitrateBps());
                }
                out.add(encoder.encode(scene.render(i, i * 33_333L)));
            }
        }
        assertTrue(out.get(60).keyframe());
        long late = 0;
        for (int i = 75; i < 120; i++) {
            late += out.get(i).annexBSize();
        }
        double after = late * 8 / 1.5;
        assertTrue(after < 1.3 * 400_000, "after " + after);
        Decoded decoded = Decoded.of(out);
        assertEquals(0, decoded.errors());
        assertEquals(120, decoded.frames().size());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("formatsAndCodecs")
    void everyInputFormatIsConvertedLikeColorConversionDoes(PixelFormat format, Codec codec) {
        SyntheticScene scene = new SyntheticScene("fmt", 320, 240, format, 0);
        List<Frame> source = new ArrayList<>();
        List<Frame> reference = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Frame f = scene.render(i, i);
            source.add(f);
            reference.add(ColorConversion.convert(f, PixelFormat.I420));
        }
        EncoderConfig config = EncoderConfig.builder().codec(codec).size(320, 240).inputFormat(format)
                .rateControl(RateControlMode.CQP).qp(18).qpRange(0, 51).backend(Backend.FFMPEG).build();
        PlaneStats stats = Decoded.of(encodeAll(config, source)).against(reference);
        // libswscale's RGB path rounds a little differently from ColorConversion; YUV paths are copies.
        assertTrue(stats.psnr(0) >= 40 && stats.psnr(1) >= 38 && stats.psnr(2) >= 38, format + " " + codec + ": " + stats);
        assertTrue(Math.abs(stats.meanError(0)) < 1 && Math.abs(stats.meanError(1)) < 1 && Math.abs(stats.meanError(2)) < 1,
                format + " " + codec + ": " + stats);
    }

    static Stream<Arguments> formatsAndCodecs() {
        List<Arguments> out = new ArrayList<>();
        for (PixelFormat f : PixelFormat.values()) {
            for (Codec c : Codec.values()) {
                out.add(Arguments.of(f, c));
            }
        }
        return out.stream();
    }

    /**
     * The aq strength reaches x264 as variance AQ: x264 writes the options it ran with into its
     * version SEI, which must say {@code aq=1:1.60}; at 0, the preset's own default ({@code aq=1:1.00}
     * at veryfast). In CBR: x264 turns AQ off under a constant QP.
     */
    @Test
    void theAqStrengthReachesX264() {
        SyntheticScene scene = new SyntheticScene("aq", 320, 240, PixelFormat.I420);
        for (double aq : new double[] {0, 1.6}) {
            EncoderConfig config = EncoderConfig.builder().size(320, 240).bitrateBps(500_000).aqStrength(aq)
                    .backend(Backend.FFMPEG).build();
            String sei;
            try (VideoEncoder encoder = VideoEncoder.open(config)) {
                sei = new String(encoder.encode(scene.render(0, 0)).toAnnexB(), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            assertTrue(sei.contains("x264 - core"), "x264's version SEI");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" aq=([0-9:.]+)").matcher(sei);
            assertTrue(m.find(), "x264's options name aq");
            assertEquals(aq > 0 ? "1:1.60" : "1:1.00", m.group(1), "x264's aq mode and strength");
        }
    }

    @Test
    void aKnownColourComesBackAsItsBt601Values() {
        // Pure red RGB888 -> Y 81, U 90, V 240 (see ColorConversionTest); an encoder at QP 10 keeps it within 2.
        byte[] red = new byte[64 * 64 * 3];
        for (int i = 0; i < red.length; i += 3) {
            red[i] = (byte) 255;
        }
        Frame f = new Frame("red", 0, 0, 64, 64, PixelFormat.RGB888, red);
        EncoderConfig config = EncoderConfig.builder().size(64, 64).inputFormat(PixelFormat.RGB888)
                .rateControl(RateControlMode.CQP).qp(10).backend(Backend.FFMPEG).build();
        Frame decoded = Decoded.of(encodeAll(config, List.of(f))).frames().get(0);
        int luma = 64 * 64;
        assertEquals(81, decoded.pixel(luma / 2 + 32) & 0xff, 2.0);
        assertEquals(90, decoded.pixel(luma + 100) & 0xff, 2.0);
        assertEquals(240, decoded.pixel(luma + luma / 4 + 100) & 0xff, 2.0);
    }

    @Test
    void useAfterCloseAndWrongFramesBehaveAsTheSpiSays() {
        EncoderConfig config = EncoderConfig.builder().codec(Codec.H265).size(64, 64).backend(Backend.FFMPEG).build();
        SyntheticScene scene = new SyntheticScene("c", 64, 64, PixelFormat.I420);
        VideoEncoder encoder = VideoEncoder.open(config);
        assertEquals(Backend.FFMPEG, encoder.backend());
        encoder.encode(scene.render(0, 0));
        Frame wrong = new SyntheticScene("c", 128, 64, PixelFormat.I420).render(1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.encode(wrong));
        assertEquals("frame #1 of channel c is 128x64; this encoder takes 64x64", e.getMessage());
        EncodedFrame next = encoder.encode(scene.render(1, 1));
        assertFalse(next.keyframe());
        encoder.close();
        encoder.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> encoder.encode(scene.render(2, 2)));
        assertEquals("ffmpeg encoder for 64x64 is closed", closed.getMessage());
    }

    @Test
    void autoPicksTheNativeBackendWhereItLoads() {
        try (VideoEncoder encoder = VideoEncoder.open(EncoderConfig.builder().codec(Codec.H265).size(64, 64).build())) {
            assertEquals(Backend.FFMPEG, encoder.backend());
        }
    }


    static byte[] spsOf(EncodedFrame f, Codec codec) {
        int sps = codec == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS;
        for (Pack p : f.packs()) {
            if (p.nalType() == sps) {
                return p.toByteArray();
            }
        }
        throw new AssertionError("no SPS in " + f);
    }
}
