package io.vencflow.core.codec.avc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate of every step of the {@code java} encoder: libavcodec's decode of what it writes equals
 * its own reconstruction exactly, frame by frame and plane by plane, and so does JCodec's decoder.
 */
class AvcConformanceTest {

    static Stream<Arguments> clipsAndQps() {
        List<Arguments> out = new ArrayList<>();
        for (TestData.RawClip clip : TestData.RAW_CLIPS) {
            for (int qp : new int[] {18, 26, 34, 42}) {
                out.add(Arguments.of(clip.file(), qp));
            }
        }
        for (int qp : new int[] {18, 26, 34, 42}) {
            out.add(Arguments.of("generated", qp));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} at QP {1}")
    @MethodSource("clipsAndQps")
    void decodersReproduceTheReconstructionExactlyInCqp(String clip, int qp) {
        List<Frame> frames = frames(clip);
        Frame first = frames.get(0);
        EncoderConfig config = clipConfig(first).rateControl(RateControlMode.CQP).qp(qp).qpRange(10, 51).build();
        Result r = encode(config, frames);
        assertBitExact(r, frames.size());
        PlaneStats stats = r.ffmpeg.against(frames);
        System.out.printf("java %s qp %d: %d bytes, PSNR Y %.2f U %.2f V %.2f%n", clip, qp, r.bytes,
                stats.psnr(0), stats.psnr(1), stats.psnr(2));
        // Sanity of the figure itself: coarser QP never wins on quality.
        assertTrue(stats.psnr(0) > 50 - qp * 0.6, "luma PSNR " + stats.psnr(0) + " at QP " + qp);
    }

    @ParameterizedTest(name = "{0} threads, {1} (CQP on odd threads: ultrafast)")
    @MethodSource("threadsAndRate")
    void slicesOnThreadsAndCbrStayBitExact(int threads, RateControlMode mode) {
        List<Frame> frames = frames("generated");
        // Odd thread counts run the ultrafast preset (whole-pel motion, no half-sample planes).
        Preset preset = threads % 2 == 1 && mode == RateControlMode.CQP ? Preset.ULTRAFAST : Preset.VERYFAST;
        EncoderConfig config = EncoderConfig.builder().size(352, 288).fps(30).gop(15).backend(Backend.JAVA)
                .rateControl(mode).bitrateBps(400_000).qp(26).threads(threads).preset(preset).build();
        Result r = encode(config, frames);
        assertBitExact(r, frames.size());
    }

    @ParameterizedTest(name = "{0}, preset faster (8x8 partitions)")
    @MethodSource("clips")
    void eightByEightPartitionsStayBitExact(String clip) {
        List<Frame> frames = frames(clip);
        Frame first = frames.get(0);
        EncoderConfig veryfast = clipConfig(first).rateControl(RateControlMode.CQP).qp(22).preset(Preset.VERYFAST)
                .build();
        Result faster = encode(veryfast.toBuilder().preset(Preset.FASTER).build(), frames);
        assertBitExact(faster, frames.size());
        // The only difference between the presets is the 8x8 trial: a stream that differs used it.
        long veryfastBytes = encode(veryfast, frames).bytes;
        assertTrue(faster.bytes != veryfastBytes, "preset faster wrote the veryfast stream (" + faster.bytes
                + " bytes): no 8x8 partition was chosen");
        System.out.printf("java %s qp 22: faster %d bytes, veryfast %d bytes%n", clip, faster.bytes, veryfastBytes);
    }

    @Test
    void halfSamplePlanesSharedByTwoThreadsStayBitExact() {
        // Every macroblock of the bus clip moves: both slices' searches compute half-sample tiles of
        // the one set of planes, those along the slice boundary for each other.
        List<Frame> frames = frames("bus_cif_352x288_17f.yuv");
        EncoderConfig config = clipConfig(frames.get(0)).rateControl(RateControlMode.CQP).qp(26).threads(2).build();
        Result r = encode(config, frames);
        assertBitExact(r, frames.size());
    }

    @Test
    void aPictureCodedAgainOnTwoThreadsStaysBitExact() {
        // A still scene, then a cut to a clip where everything moves, all in one GOP: the rate control
        // plans the cut's P picture from the still ones, the buffer model finds it would underflow,
        // and it is coded again, coarser. Tiles the first try computed ahead from its rows must not
        // reach the pictures after it.
        Frame still = frames("generated").get(0);
        List<Frame> bus = frames("bus_cif_352x288_17f.yuv");
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 6 + bus.size(); i++) {
            Frame f = i < 6 ? still : bus.get(i - 6);
            frames.add(f.withSequence(i, i * 33_333L));
        }
        EncoderConfig config = clipConfig(still).gop(60).rateControl(RateControlMode.CBR).bitrateBps(150_000)
                .threads(2).build();
        Result r = encode(config, frames);
        System.out.printf("java still then bus, CBR 150 kbit/s, 2 threads: %d P pictures coded again%n", r.codedAgain);
        assertTrue(r.codedAgain > 0, r.codedAgain + " P pictures coded again");
        assertBitExact(r, frames.size());
        assertEquals(List.of(), HrdCheck.run(r.units()).violations(), "Annex C over the stream");
    }

    /**
     * A macroblock whose coding would take more than A.3.1's 3200 bits goes as its samples (I_PCM):
     * full-range noise at QP 0 on the left half of the picture, which no prediction helps, and a
     * smooth ramp that scrolls on the right, in I and P pictures. The noise must decode to the source
     * exactly (QP 0 coding is close, never exact), the ramp is coded, the deblocking across the two
     * and the CAVLC contexts beside I_PCM (16 coefficients a block, 9.2.1) match libavcodec, and the
     * threads give the same stream. JCodec's decoder is left out here: it reads I_PCM samples but
     * keeps the coefficient counts of the macroblock before for the next one's nC (its SliceReader
     * logs "IPCM macroblock found. Not tested"), so it loses the stream at the next coded block.
     */
    @Test
    void macroblocksOverTheLevelsBitLimitAreSentAsTheirSamples() {
        int w = 176;
        int h = 144;
        int noiseWidth = 80; // macroblock columns 0-4
        java.util.Random rnd = new java.util.Random(3200);
        List<Frame> frames = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            byte[] px = new byte[w * h * 3 / 2];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = (byte) (x < noiseWidth ? rnd.nextInt(256) : 40 + (x + 2 * n) / 2 + y / 3);
                }
            }
            for (int c = 0; c < 2; c++) {
                int base = w * h + c * (w / 2) * (h / 2);
                for (int y = 0; y < h / 2; y++) {
                    for (int x = 0; x < w / 2; x++) {
                        px[base + y * (w / 2) + x] = (byte) (2 * x < noiseWidth ? rnd.nextInt(256) : 100 + c * 30 + y / 4);
                    }
                }
            }
            frames.add(new Frame("pcm", n, n * 33_333L, w, h, PixelFormat.I420, px));
        }
        byte[] oneThread = null;
        for (int threads : new int[] {1, 2}) {
            EncoderConfig config = EncoderConfig.builder().size(w, h).fps(30).gop(6).backend(Backend.JAVA)
                    .rateControl(RateControlMode.CQP).qpRange(0, 51).qp(0).threads(threads).build();
            Result r = encode(config, frames);
            assertLibavcodecBitExact(r, frames.size());
            int noiseMacroblocks = (noiseWidth / 16) * (h / 16);
            System.out.printf("java I_PCM, QP 0, %d thread(s): %d of %d macroblocks sent as samples, %d bytes%n",
                    threads, r.pcm(), frames.size() * (w / 16) * (h / 16), r.bytes());
            assertEquals((long) noiseMacroblocks * frames.size(), r.pcm(), "I_PCM macroblocks: the noise's");
            assertTrue(r.largestMacroblock() <= SliceEncoder.MAX_MACROBLOCK_BITS, r.largestMacroblock() + " bits");
            for (int n = 0; n < frames.size(); n++) {
                Frame src = frames.get(n);
                Frame dec = r.ffmpeg().frames().get(n);
                for (int i = 0; i < w * h * 3 / 2; i++) {
                    boolean luma = i < w * h;
                    int x = luma ? i % w : 2 * ((i - w * h) % (w * h / 4) % (w / 2));
                    if (x < noiseWidth && src.pixel(i) != dec.pixel(i)) {
                        fail("frame " + n + ": the noise (I_PCM) decodes to " + (dec.pixel(i) & 0xff) + " at sample " + i
                                + ", not its source " + (src.pixel(i) & 0xff));
                    }
                }
            }
            byte[] stream = annexB(r.units());
            if (oneThread == null) {
                oneThread = stream;
            } else {
                assertArrayEquals(oneThread, stream, "the same stream on " + threads + " threads");
            }
        }
    }

    /**
     * Every clip at QP 0: no macroblock_layer() kept over 3200 bits (A.3.1), a row's first mb_qp_delta
     * included, and libavcodec's decode bit-exact. At QP 0 the CiscoVT2people clip coded macroblocks of
     * up to 3,393 bits before I_PCM took over.
     */
    @ParameterizedTest(name = "{0} at QP 0")
    @MethodSource("clips")
    void everyClipAtQpZeroKeepsItsMacroblocksWithinTheBitLimit(String clip) {
        List<Frame> frames = frames(clip);
        EncoderConfig config = clipConfig(frames.get(0)).rateControl(RateControlMode.CQP).qpRange(0, 51).qp(0).build();
        Result r = encode(config, frames);
        System.out.printf("java %s at QP 0: largest macroblock %d bits, %d I_PCM%n", clip, r.largestMacroblock(), r.pcm());
        assertTrue(r.largestMacroblock() + 13 <= SliceEncoder.MAX_MACROBLOCK_BITS,
                r.largestMacroblock() + " bits and a first mb_qp_delta of up to 13");
        assertLibavcodecBitExact(r, frames.size());
    }

    private static byte[] annexB(List<EncodedFrame> units) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (EncodedFrame u : units) {
            out.writeBytes(u.toAnnexB());
        }
        return out.toByteArray();
    }

    /**
     * Adaptive quantization gives each macroblock a QP of its own (an mb_qp_delta nearly everywhere,
     * deblocking across QPs that differ): bit-exact in CQP on 1 and 2 threads, which give the same
     * stream, and in CBR, whose HRD holds.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void adaptiveQuantizationStaysBitExactOnAnyNumberOfThreads(String clip) {
        List<Frame> frames = frames(clip);
        Frame first = frames.get(0);
        byte[] oneThread = null;
        for (int threads : new int[] {1, 2}) {
            EncoderConfig config = clipConfig(first).rateControl(RateControlMode.CQP).qp(26).aqStrength(1.0)
                    .threads(threads).build();
            Result r = encode(config, frames);
            assertBitExact(r, frames.size());
            byte[] stream = annexB(r.units());
            if (oneThread == null) {
                oneThread = stream;
            } else {
                assertArrayEquals(oneThread, stream, "the same stream on " + threads + " threads");
            }
        }
        long bitrate = (long) first.width() * first.height() * 30 / 8;
        Result cbr = encode(clipConfig(first).rateControl(RateControlMode.CBR).bitrateBps(bitrate).aqStrength(1.0)
                .threads(2).build(), frames);
        assertBitExact(cbr, frames.size());
        assertEquals(List.of(), HrdCheck.run(cbr.units()).violations(), clip + " in CBR with AQ");
    }

    /**
     * What adaptive quantization is for: the same SSIM for fewer bits, on the real clips with flat
     * and busy areas side by side (road and cars; the bus and its background), measured as the
     * BD-rate over QPs 22-34 with SSIM in dB for quality. PSNR, which weighs every error alike, is
     * printed beside it.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cars_320x240_30f.yuv", "bus_cif_352x288_17f.yuv"})
    void adaptiveQuantizationGivesTheSameSsimForFewerBits(String clip) {
        List<Frame> frames = frames(clip);
        Frame first = frames.get(0);
        List<List<io.vencflow.core.quality.BdRate.Point>> ssimCurves = new ArrayList<>();
        List<List<io.vencflow.core.quality.BdRate.Point>> psnrCurves = new ArrayList<>();
        for (double aq : new double[] {0, 0.5}) {
            List<io.vencflow.core.quality.BdRate.Point> ssim = new ArrayList<>();
            List<io.vencflow.core.quality.BdRate.Point> psnr = new ArrayList<>();
            for (int qp : new int[] {22, 26, 30, 34}) {
                Result r = encode(clipConfig(first).rateControl(RateControlMode.CQP).qp(qp).aqStrength(aq).build(), frames);
                PlaneStats stats = new PlaneStats();
                for (int i = 0; i < frames.size(); i++) {
                    byte[] source = new byte[r.recon().get(i).length];
                    frames.get(i).pixels().duplicate().get(source);
                    stats.add(source, r.recon().get(i), first.width(), first.height());
                }
                double kbps = r.bytes() * 8.0 * 30 / frames.size() / 1000;
                System.out.printf("java %s aq %.1f qp %d: %.1f kbit/s, Y %.2f dB, SSIM %.5f (%.2f dB)%n", clip, aq, qp,
                        kbps, stats.psnr(0), stats.ssim(), stats.ssimDb());
                ssim.add(new io.vencflow.core.quality.BdRate.Point(kbps, stats.ssimDb()));
                psnr.add(new io.vencflow.core.quality.BdRate.Point(kbps, stats.psnr(0)));
            }
            ssimCurves.add(ssim);
            psnrCurves.add(psnr);
        }
        double bySsim = io.vencflow.core.quality.BdRate.ratePercent(ssimCurves.get(0), ssimCurves.get(1));
        double byPsnr = io.vencflow.core.quality.BdRate.ratePercent(psnrCurves.get(0), psnrCurves.get(1));
        System.out.printf("java %s, aq 0.5 against none: BD-rate %+.1f%% by SSIM, %+.1f%% by PSNR%n", clip, bySsim, byPsnr);
        assertTrue(bySsim <= -5, "BD-rate by SSIM " + bySsim + "%, expected at most -5%");
    }

    /** Each clip in CBR, plain and strict (filler data): bit-exact, and its HRD holds (Annex C, {@link HrdCheck}). */
    @ParameterizedTest(name = "{0} in CBR")
    @MethodSource("clips")
    void everyClipStaysBitExactInCbrAndKeepsItsHrd(String clip) {
        List<Frame> frames = frames(clip);
        Frame first = frames.get(0);
        long bitrate = (long) first.width() * first.height() * 30 / 8;
        for (boolean filler : new boolean[] {false, true}) {
            EncoderConfig config = clipConfig(first).rateControl(RateControlMode.CBR).bitrateBps(bitrate)
                    .fillerData(filler).build();
            Result r = encode(config, frames);
            assertBitExact(r, frames.size());
            HrdCheck.Result hrd = HrdCheck.run(r.units());
            assertEquals(List.of(), hrd.violations(), clip + ", filler data " + filler);
            assertEquals(filler, hrd.cbr());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void jcodecsDeblockingFilterGivesTheSameStreamAsOurs(String clip) {
        List<Frame> frames = frames(clip);
        Frame first = frames.get(0);
        EncoderConfig config = clipConfig(first).rateControl(RateControlMode.CQP).qp(34).build();
        try (AvcEncoder ours = new AvcEncoder(config, false); AvcEncoder theirs = new AvcEncoder(config, true)) {
            for (Frame f : frames) {
                assertArrayEquals(theirs.encode(f).toAnnexB(), ours.encode(f).toAnnexB(), "frame " + f.sequence());
                assertArrayEquals(theirs.reconstruction(), ours.reconstruction(), "picture " + f.sequence());
            }
        }
    }

    /** The java encoder at the clip's size, 30 fps, GOP 10. */
    private static EncoderConfig.Builder clipConfig(Frame first) {
        return EncoderConfig.builder().size(first.width(), first.height()).fps(30).gop(10).backend(Backend.JAVA);
    }

    static Stream<String> clips() {
        return Stream.concat(TestData.RAW_CLIPS.stream().map(TestData.RawClip::file), Stream.of("generated"));
    }

    static Stream<Arguments> threadsAndRate() {
        return Stream.of(Arguments.of(1, RateControlMode.CBR), Arguments.of(3, RateControlMode.CQP),
                Arguments.of(1, RateControlMode.CQP), Arguments.of(2, RateControlMode.CBR),
                Arguments.of(3, RateControlMode.CBR), Arguments.of(2, RateControlMode.VBR));
    }

    private static List<Frame> frames(String clip) {
        if (clip.equals("generated")) {
            SyntheticScene scene = new SyntheticScene("gen", 352, 288, PixelFormat.I420, 6);
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                frames.add(scene.render(i, i * 33_333L));
            }
            return frames;
        }
        return TestData.RAW_CLIPS.stream().filter(c -> c.file().equals(clip)).findFirst().orElseThrow()
                .read("clip");
    }

    /** What an encode gave: access units, reconstructions, both decodes, bytes, and P pictures coded again. */
    record Result(List<EncodedFrame> units, List<byte[]> recon, Decoded ffmpeg, Decoded jcodec, long bytes,
            long codedAgain, long pcm, int largestMacroblock) {
    }

    static Result encode(EncoderConfig config, List<Frame> frames) {
        List<EncodedFrame> units = new ArrayList<>();
        List<byte[]> recon = new ArrayList<>();
        long bytes = 0;
        long codedAgain;
        long pcm;
        int largest;
        try (AvcEncoder encoder = new AvcEncoder(config)) {
            for (Frame f : frames) {
                EncodedFrame au = encoder.encode(f);
                units.add(au);
                bytes += au.annexBSize();
                recon.add(encoder.reconstruction());
            }
            codedAgain = encoder.predictedPicturesCodedAgain();
            pcm = encoder.pcmMacroblocks();
            largest = encoder.largestMacroblockBits();
        }
        return new Result(units, recon, Decoded.of(units, Backend.FFMPEG), Decoded.of(units, Backend.JCODEC), bytes,
                codedAgain, pcm, largest);
    }

    static void assertBitExact(Result r, int frames) {
        assertLibavcodecBitExact(r, frames);
        assertEquals(frames, r.jcodec.frames().size(), "frames decoded by JCodec");
        for (int i = 0; i < frames; i++) {
            compare("JCodec", i, r.recon.get(i), r.jcodec.frames().get(i));
        }
    }

    static void assertLibavcodecBitExact(Result r, int frames) {
        assertEquals(0, r.ffmpeg.errors(), "libavcodec decode errors");
        assertEquals(frames, r.ffmpeg.frames().size(), "frames decoded by libavcodec");
        for (int i = 0; i < frames; i++) {
            compare("libavcodec", i, r.recon.get(i), r.ffmpeg.frames().get(i));
        }
    }

    private static void compare(String decoder, int index, byte[] recon, Frame decoded) {
        int w = decoded.width();
        int h = decoded.height();
        assertEquals(recon.length, decoded.size(), "decoded size");
        for (int i = 0; i < recon.length; i++) {
            if (recon[i] != decoded.pixel(i)) {
                int plane = i < w * h ? 0 : i < w * h * 5 / 4 ? 1 : 2;
                int off = plane == 0 ? i : plane == 1 ? i - w * h : i - w * h * 5 / 4;
                int pw = plane == 0 ? w : w / 2;
                fail(decoder + " frame " + index + " plane " + "YUV".charAt(plane) + " differs first at (" + off % pw
                        + ", " + off / pw + "): reconstruction " + (recon[i] & 0xff) + ", decoded "
                        + (decoded.pixel(i) & 0xff));
            }
        }
    }
}
