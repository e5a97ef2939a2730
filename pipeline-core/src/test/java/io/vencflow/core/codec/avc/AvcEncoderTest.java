package io.vencflow.core.codec.avc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.testing.Decoded;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AvcEncoderTest {

    @Test
    void aStillSceneCostsUnderOnePercentOfItsIdrPerPFrame() {
        Frame still = new SyntheticScene("still", 640, 360, PixelFormat.I420, 3).render(7, 0);
        EncoderConfig config = EncoderConfig.builder().size(640, 360).fps(30).gop(30).backend(Backend.JAVA)
                .rateControl(RateControlMode.CQP).qp(26).build();
        List<EncodedFrame> units = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < 30; i++) {
                units.add(encoder.encode(still.withSequence(i, i * 33_333L)));
            }
        }
        int idr = units.get(0).annexBSize();
        int worst = units.stream().skip(1).mapToInt(EncodedFrame::annexBSize).max().orElseThrow();
        System.out.printf("still scene: IDR %d bytes, largest P frame %d bytes (%.3f%%)%n", idr, worst,
                100.0 * worst / idr);
        assertTrue(worst < idr / 100, "P frame of " + worst + " bytes against an IDR of " + idr);
        Decoded d = Decoded.of(units);
        assertEquals(0, d.errors());
        assertEquals(30, d.frames().size());
    }

    /**
     * Where the skip vector predicts closely and only sensor noise is left to code, the macroblock is
     * coded with that vector without a motion search (the search nearly always returned it): on a
     * scene whose background stands still under noise, most coded inter macroblocks are not searched.
     */
    @Test
    void noiseOnAStillBackgroundIsCodedAtTheSkipVectorWithoutASearch() {
        SyntheticScene scene = new SyntheticScene("noise", 640, 360, PixelFormat.I420, 1);
        EncoderConfig config = EncoderConfig.builder().size(640, 360).fps(30).gop(30).backend(Backend.JAVA)
                .rateControl(RateControlMode.CQP).qp(26).threads(1).build();
        List<EncodedFrame> units = new ArrayList<>();
        long[] decisions;
        try (AvcEncoder encoder = new AvcEncoder(config)) {
            for (int i = 0; i < 10; i++) {
                units.add(encoder.encode(scene.render(i, i * 33_333L)));
            }
            decisions = encoder.interDecisions();
        }
        long searched = decisions[0];
        long coded = decisions[1];
        System.out.printf("noisy still background, 640x360 QP 26, 9 P pictures: %d inter macroblocks coded, "
                + "%d searched, of %d%n", coded, searched, 9 * 40 * 23);
        assertTrue(coded > 9 * 40 * 23 / 4, "only " + coded + " inter macroblocks coded: the noise is not coded");
        assertTrue(searched < coded / 2, searched + " macroblocks searched for " + coded + " coded");
        Decoded d = Decoded.of(units);
        assertEquals(0, d.errors());
        assertEquals(10, d.frames().size());
    }

    /**
     * In the steady state a frame allocates its output and little else: no picture buffers, and no
     * vectors boxed on the heap by kernels the JIT did not compile to SIMD instructions (which cost
     * megabytes a frame). Counted over every thread of the JVM, so the pool's workers too.
     */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2})
    void theSteadyStateAllocatesLittleMoreThanTheOutput(int encoderThreads) {
        int frames = 60;
        SyntheticScene scene = new SyntheticScene("alloc", 640, 360, PixelFormat.I420, 2);
        List<Frame> source = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            source.add(scene.render(i, i * 33_333L));
        }
        EncoderConfig config = EncoderConfig.builder().size(640, 360).fps(30).gop(30).backend(Backend.JAVA)
                .rateControl(RateControlMode.CQP).qp(26).threads(encoderThreads).build();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            long allocated = 0;
            long output = 0;
            for (int round = 0; round < 4; round++) { // three rounds let the JIT compile the hot code
                long before = allocatedByAllThreads();
                output = 0;
                for (Frame f : source) {
                    output += encoder.encode(f.withSequence(round * frames + f.sequence(), f.ptsMicros()
                            + round * frames * 33_333L)).annexBSize();
                }
                allocated = allocatedByAllThreads() - before;
            }
            long perFrame = allocated / frames;
            System.out.printf("steady state, 640x360 QP 26, %d threads, kernels %s: %d bytes allocated a frame, "
                    + "%d bytes out%n", encoderThreads, AvcEncoder.kernels(), perFrame, output / frames);
            assertTrue(perFrame < 32_768 + 4 * output / frames, perFrame + " bytes allocated a frame for "
                    + output / frames + " bytes out, " + encoderThreads + " threads, kernels " + AvcEncoder.kernels());
        }
    }

    /** The bytes every live thread of this JVM has allocated so far. */
    private static long allocatedByAllThreads() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes); // -1: the thread ended meanwhile
        }
        return sum;
    }

    @Test
    void cbrAt2MbpsOver300FramesOf720pHoldsTheTargetAndTheVbv() {
        int fps = 30;
        long target = 2_000_000;
        SyntheticScene scene = new SyntheticScene("cbr", 1280, 720, PixelFormat.I420, 2);
        EncoderConfig config = EncoderConfig.builder().size(1280, 720).fps(fps).gop(fps).backend(Backend.JAVA)
                .rateControl(RateControlMode.CBR).bitrateBps(target).threads(2).preset(Preset.VERYFAST).build();
        long[] bits = new long[300];
        List<EncodedFrame> units = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < bits.length; i++) {
                EncodedFrame au = encoder.encode(scene.render(i, i * 33_333L));
                bits[i] = 8L * au.annexBSize();
                units.add(au);
            }
        }
        // The VBV as the stream signals it: CPB size and rate from the SPS's NAL HRD parameters.
        SeqParameterSet sps = SeqParameterSet.read(ByteBuffer.wrap(rbsp(units.get(0).packs().get(0))));
        var hrd = sps.vuiParams.nalHRDParams;
        assertNotNull(hrd, "CBR streams carry NAL HRD parameters");
        long cpbBits = (hrd.cpbSizeValueMinus1[0] + 1L) << (4 + hrd.cpbSizeScale);
        long rate = (hrd.bitRateValueMinus1[0] + 1L) << (6 + hrd.bitRateScale);
        assertFalse(hrd.cbrFlag[0], "CBR without filler data declares a buffer that may pause (cbr_flag 0)");
        assertEquals(target, rate, 64);

        long total = 0;
        for (long b : bits) {
            total += b;
        }
        double seconds = bits.length / (double) fps;
        double achieved = total / seconds;
        long worstWindow = 0;
        for (int i = 0; i + fps <= bits.length; i++) {
            long w = 0;
            for (int k = i; k < i + fps; k++) {
                w += bits[k];
            }
            worstWindow = Math.max(worstWindow, w);
        }
        // The VBV as Annex C runs it over the stream's own HRD parameters and timing SEI.
        HrdCheck.Result hrdRun = HrdCheck.run(units);
        System.out.printf("CBR 2 Mbit/s, 300 frames 1280x720: %.0f bit/s (%.1f%% of target), worst 1 s window %d"
                + " bits (%.2fx); HRD: %d buffering periods, buffer %d..%d bits of %d, %d filler bytes%n", achieved,
                100 * achieved / target, worstWindow, worstWindow / (double) target, hrdRun.bufferingPeriods(),
                hrdRun.lowestBits(), hrdRun.highestBits(), cpbBits, hrdRun.fillerBytes());
        assertEquals(List.of(), hrdRun.violations());
        assertEquals(300, hrdRun.accessUnits());
        assertEquals(10, hrdRun.bufferingPeriods());
        assertEquals(cpbBits, hrdRun.cpbBits());
        assertEquals(1.0, achieved / target, 0.10, "average rate " + achieved);
        assertTrue(worstWindow <= 1.5 * target, "a 1-second window of " + worstWindow + " bits");
        Decoded d = Decoded.of(units);
        assertEquals(0, d.errors());
        assertEquals(bits.length, d.frames().size());
    }

    /**
     * A still scene costs far less than 500 kbit/s. In strict CBR (filler data) the stream pads itself
     * to the declared rate, so that its constant-rate HRD buffer never overflows; in plain CBR it
     * spends what the pictures cost, and its HRD lets the bits pause. Either way each picture carries
     * the timing SEI its HRD parameters call for, and Annex C, run over the stream, finds no violation.
     */
    @ParameterizedTest(name = "filler data {0}")
    @ValueSource(booleans = {true, false})
    void aStillSceneInCbrKeepsTheHrdPaddedToTheRateOnlyInStrictCbr(boolean filler) {
        int fps = 25;
        long target = 500_000;
        Frame still = new SyntheticScene("still", 320, 240, PixelFormat.I420, 0).render(3, 0);
        EncoderConfig config = EncoderConfig.builder().size(320, 240).fps(fps).gop(50).backend(Backend.JAVA)
                .rateControl(RateControlMode.CBR).bitrateBps(target).fillerData(filler).build();
        List<EncodedFrame> units = new ArrayList<>();
        long bytes = 0;
        long fillerUnits = 0;
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < 150; i++) {
                EncodedFrame au = encoder.encode(still.withSequence(i, i * 40_000L));
                units.add(au);
                bytes += au.annexBSize();
                fillerUnits += au.packs().stream().filter(p -> p.nalType() == ParameterSets.NAL_FILLER).count();
            }
        }
        HrdCheck.Result hrd = HrdCheck.run(units);
        double rate = 8.0 * bytes * fps / units.size();
        System.out.printf("still scene, CBR 500 kbit/s, filler data %s, 150 frames 320x240: %.0f bit/s, %d filler"
                + " units of %d bytes, buffer at most %d bits of %d, at least %d ahead of a removal%n", filler, rate,
                fillerUnits, hrd.fillerBytes(), hrd.highestBits(), hrd.cpbBits(), hrd.lowestBits());
        assertEquals(List.of(), hrd.violations());
        assertEquals(filler, hrd.cbr());
        assertEquals(3, hrd.bufferingPeriods());
        if (filler) {
            assertTrue(fillerUnits > units.size() / 2, fillerUnits + " access units with filler");
            // Over 6 s the buffer, 90% full at the start and nearly full at the end, moves the mean by under 2%.
            assertEquals(1.0, rate / hrd.rateBps(), 0.02, "rate " + rate + " against " + hrd.rateBps() + " declared");
        } else {
            assertEquals(0, fillerUnits);
            // Three IDRs carry most of it: the P pictures cost a few bytes each.
            assertTrue(rate < 0.6 * hrd.rateBps(), "rate " + rate + " against " + hrd.rateBps() + " declared");
        }
        Decoded d = Decoded.of(units);
        assertEquals(0, d.errors());
        assertEquals(150, d.frames().size());
    }

    /**
     * A CBR stream declares its rate in the SPS, so a new rate starts with the next IDR, whose SPS
     * declares it: the access units before it keep the old rate (padded where the scene is cheap),
     * those after it the new one, and the HRD holds on both sides. Rates outside the range are
     * refused by name, and the encoder goes on.
     */
    @Test
    void aNewCbrRateStartsAtTheNextIdrWithItsOwnSpsAndTheHrdHoldsOnBothSides() {
        int fps = 30;
        SyntheticScene scene = new SyntheticScene("rate", 320, 240, PixelFormat.I420, 2);
        EncoderConfig config = EncoderConfig.builder().size(320, 240).fps(fps).gop(fps).backend(Backend.JAVA)
                .rateControl(RateControlMode.CBR).bitrateBps(1_000_000).build();
        List<EncodedFrame> units = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < 120; i++) {
                if (i == 40) {
                    for (long bad : new long[] {-1, 0, 15_999, 3_000_000_000L}) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> encoder.setBitrate(bad));
                        assertTrue(e.getMessage().contains("bitrate " + bad + " bit/s"), e.getMessage());
                    }
                    encoder.setBitrate(300_000);
                }
                units.add(encoder.encode(scene.render(i, i * 33_333L)));
            }
        }
        long[] secondBits = new long[4];
        for (int i = 0; i < units.size(); i++) {
            secondBits[i / fps] += 8L * units.get(i).annexBSize();
        }
        byte[] first = bytes(units.get(0).packs().get(0));
        byte[] before = bytes(units.get(30).packs().get(0));
        byte[] after = bytes(units.get(60).packs().get(0));
        HrdCheck.Result hrd = HrdCheck.run(units);
        System.out.printf("CBR 1 Mbit/s, 300 kbit/s from frame 40: bits a second %s, HRD buffer %d..%d bits%n",
                java.util.Arrays.toString(secondBits), hrd.lowestBits(), hrd.highestBits());
        assertEquals(List.of(), hrd.violations());
        assertEquals(4, hrd.bufferingPeriods());
        assertEquals(300_000, hrd.rateBps(), 64, "the rate the last SPS declares");
        assertTrue(java.util.Arrays.equals(first, before), "the IDR before the change repeats the first SPS");
        assertFalse(java.util.Arrays.equals(before, after), "the IDR after the change declares a new SPS");
        assertEquals(1.0, secondBits[1] / 1_000_000.0, 0.15, "second 2, before the next IDR");
        assertEquals(1.0, secondBits[3] / 300_000.0, 0.15, "second 4, after it");
        Decoded d = Decoded.of(units);
        assertEquals(0, d.errors());
        assertEquals(120, d.frames().size());
    }

    @Test
    void parameterSetsComeOnlyInFrontOfIdrsWhichComeEveryGopAndOnRequest() {
        SyntheticScene scene = new SyntheticScene("gop", 1280, 720, PixelFormat.NV12);
        EncoderConfig config = EncoderConfig.builder().size(1280, 720).fps(30).gop(5).backend(Backend.JAVA)
                .rateControl(RateControlMode.CQP).qp(34).inputFormat(PixelFormat.NV12).build();
        List<EncodedFrame> units = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < 12; i++) {
                if (i == 7) {
                    encoder.requestKeyframe();
                }
                units.add(encoder.encode(scene.render(i, i * 33_333L)));
            }
        }
        List<Integer> keyframes = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            List<Pack> packs = units.get(i).packs();
            boolean idr = packs.stream().anyMatch(p -> p.nalType() == NalUnit.H264_IDR);
            boolean sps = packs.stream().anyMatch(p -> p.nalType() == NalUnit.H264_SPS);
            boolean pps = packs.stream().anyMatch(p -> p.nalType() == 8);
            assertEquals(idr, sps, "SPS with the IDR only, frame " + i);
            assertEquals(idr, pps, "PPS with the IDR only, frame " + i);
            assertEquals(idr, units.get(i).keyframe());
            if (idr) {
                keyframes.add(i);
            }
        }
        assertEquals(List.of(0, 5, 7), keyframes.subList(0, 3));
        assertTrue(keyframes.contains(7) && !keyframes.contains(6));
        SequenceParameterSet sps = SequenceParameterSet.parse(Codec.H264, bytes(units.get(0).packs().get(0)));
        assertEquals(66, sps.profileIdc());
        assertEquals(31, sps.levelIdc(), "1280x720 at 30 fps needs level 3.1");
        assertEquals(30.0, sps.vuiFrameRate(), 1e-9);
        assertEquals(1280, sps.width());
        assertEquals(720, sps.height());
        assertEquals(0, sps.maxNumReorderFrames());
        assertEquals(0, Decoded.of(units).errors());
    }

    @Test
    void oddSizesAreCroppedAndDecodeToTheConfiguredSize() {
        SyntheticScene scene = new SyntheticScene("crop", 202, 118, PixelFormat.I420, 0);
        EncoderConfig config = EncoderConfig.builder().size(202, 118).fps(25).backend(Backend.JAVA)
                .rateControl(RateControlMode.CQP).qp(30).build();
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            frames.add(scene.render(i, i * 40_000L));
        }
        AvcConformanceTest.Result r = AvcConformanceTest.encode(config, frames);
        AvcConformanceTest.assertBitExact(r, frames.size());
        assertEquals(202, r.ffmpeg().frames().get(0).width());
        assertEquals(118, r.ffmpeg().frames().get(0).height());
    }

    @Test
    void anI420FrameReadInPlaceEncodesAsTheSamePictureConvertedFromNv12() {
        int w = 200; // neither size a multiple of 16: the padding column and row are filled either way
        int h = 120;
        SyntheticScene scene = new SyntheticScene("formats", w, h, PixelFormat.I420, 3);
        EncoderConfig i420 = EncoderConfig.builder().size(w, h).backend(Backend.JAVA).gop(5)
                .rateControl(RateControlMode.CQP).qp(24).build();
        EncoderConfig nv12 = i420.toBuilder().inputFormat(PixelFormat.NV12).build();
        long bytes = 0;
        try (VideoEncoder a = VideoEncoder.open(i420); VideoEncoder b = VideoEncoder.open(nv12)) {
            for (int i = 0; i < 8; i++) {
                Frame f = scene.render(i, i * 40_000L);
                byte[] px = new byte[f.size()];
                f.copyPixels(0, px, 0, px.length);
                byte[] nv = new byte[px.length];
                io.vencflow.core.frame.ColorConversion.fromI420(px, w, h, PixelFormat.NV12, nv);
                Frame g = new Frame("formats", i, i * 40_000L, w, h, PixelFormat.NV12, nv);
                byte[] fromI420 = a.encode(f).toAnnexB();
                byte[] fromNv12 = b.encode(g).toAnnexB();
                assertTrue(java.util.Arrays.equals(fromI420, fromNv12), "access unit " + i + " differs");
                bytes += fromI420.length;
            }
        }
        assertTrue(bytes > 1000, "8 access units of " + bytes + " bytes");
    }

    /**
     * Level 1 allows vertical vectors of [-64, +63.75] luma samples (H.264 Table A-1, MaxVmvR). A
     * texture scrolling up faster each frame, by 8 more rows than the frame before (up to 88 a
     * frame), draws the search past that: libavcodec's decode of the stream shows every vector within
     * the range, some at its edge, and equals the encoder's own picture.
     */
    @Test
    void verticalVectorsStayWithinTheLevelsRangeWhenTheMotionGoesBeyondIt() {
        int w = 176;
        int h = 144;
        EncoderConfig config = EncoderConfig.builder().size(w, h).fps(15).gop(60).backend(Backend.JAVA)
                .rateControl(RateControlMode.CQP).qp(26).build();
        List<EncodedFrame> units = new ArrayList<>();
        List<Frame> sources = new ArrayList<>();
        int scrolled = 0;
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < 12; i++) {
                scrolled += 8 * i;
                Frame f = scrollingTexture(w, h, scrolled, i);
                sources.add(f);
                units.add(encoder.encode(f));
            }
        }
        SequenceParameterSet sps = SequenceParameterSet.parse(Codec.H264, bytes(units.get(0).packs().get(0)));
        assertEquals(10, sps.levelIdc(), "176x144 at 15 fps is level 1");
        int mostUp = 0;
        int mostDown = 0;
        int vectors = 0;
        for (List<io.vencflow.core.testing.MotionVectors.Vector> frame
                : io.vencflow.core.testing.MotionVectors.of(units)) {
            for (io.vencflow.core.testing.MotionVectors.Vector v : frame) {
                mostUp = Math.min(mostUp, v.quarterY());
                mostDown = Math.max(mostDown, v.quarterY());
                vectors++;
            }
        }
        System.out.printf("scrolling texture at level 1: %d vectors, vertical %.2f..%.2f samples%n", vectors,
                mostUp / 4.0, mostDown / 4.0);
        assertTrue(mostUp >= -256 && mostDown <= 255, "vertical vectors from " + mostUp / 4.0 + " to "
                + mostDown / 4.0 + " samples, level 1 allows -64 to 63.75");
        assertTrue(Math.max(-mostUp, mostDown) >= 4 * 56, "the search followed the scroll only to "
                + Math.max(-mostUp, mostDown) / 4.0 + " samples: the test does not reach the range's edge");
        Decoded d = Decoded.of(units);
        assertEquals(0, d.errors());
        assertEquals(12, d.frames().size());
        assertTrue(d.against(sources).psnr(0) > 30, "luma PSNR " + d.against(sources).psnr(0));
    }

    /** Smooth value noise on a lattice of 12 samples, scrolled up by {@code scrolled} rows. */
    private static Frame scrollingTexture(int w, int h, int scrolled, int sequence) {
        byte[] px = new byte[w * h * 3 / 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (byte) valueNoise(x, y + scrolled);
            }
        }
        java.util.Arrays.fill(px, w * h, px.length, (byte) 128);
        return new Frame("scroll", sequence, sequence * 66_667L, w, h, PixelFormat.I420, px);
    }

    private static int valueNoise(int x, int y) {
        int cell = 12;
        int cx = x / cell;
        int cy = y / cell;
        double fx = (x % cell) / (double) cell;
        double fy = (y % cell) / (double) cell;
        double top = lattice(cx, cy) * (1 - fx) + lattice(cx + 1, cy) * fx;
        double bottom = lattice(cx, cy + 1) * (1 - fx) + lattice(cx + 1, cy + 1) * fx;
        return (int) Math.round(top * (1 - fy) + bottom * fy);
    }

    /** A pseudo-random sample value, 16..235, at a lattice point. */
    private static int lattice(int cx, int cy) {
        int hash = cx * 73_856_093 ^ cy * 19_349_663;
        hash ^= hash >>> 13;
        hash *= 0x5bd1e995;
        hash ^= hash >>> 15;
        return 16 + Math.floorMod(hash, 220);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RateControlMode.class, names = {"CQP", "CBR"})
    void anyNumberOfThreadsGivesTheSameStreamOfOneSliceAPicture(RateControlMode mode) {
        int w = 320;
        int h = 320;
        SyntheticScene scene = new SyntheticScene("rows", w, h, PixelFormat.I420, 2);
        // CBR at a rate that makes the rows' QPs move away from the picture's.
        EncoderConfig config = EncoderConfig.builder().size(w, h).backend(Backend.JAVA).gop(12)
                .rateControl(mode).qp(26).bitrateBps(300_000).build();
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            frames.add(scene.render(i, i * 33_333L));
        }
        // The rows are a wavefront put together in order, and row rate control reads only rows that
        // are done whatever the threads: 1, 2 and 3 threads (more than the machine's cores) and
        // repeated runs give the same bytes.
        byte[] one = encodeAll(config, frames);
        assertTrue(one.length > 10_000, one.length + " bytes");
        for (int threads : new int[] {2, 3, 2}) {
            byte[] more = encodeAll(config.toBuilder().threads(threads).build(), frames);
            assertTrue(java.util.Arrays.equals(one, more), threads + " threads: " + more.length + " bytes, 1 thread: "
                    + one.length);
        }
        try (VideoEncoder e = VideoEncoder.open(config.toBuilder().threads(2).build())) {
            for (Frame f : frames) {
                EncodedFrame au = e.encode(f);
                long slices = au.packs().stream().filter(p -> p.nalType() == 1 || p.nalType() == 5).count();
                assertEquals(1, slices, "slices in access unit " + f.sequence());
            }
        }
    }

    private static byte[] encodeAll(EncoderConfig config, List<Frame> frames) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (VideoEncoder e = VideoEncoder.open(config)) {
            for (Frame f : frames) {
                out.writeBytes(e.encode(f).toAnnexB());
            }
        }
        return out.toByteArray();
    }

    @Test
    void badInputIsRefusedAndTheEncoderStaysUsable() {
        EncoderConfig config = EncoderConfig.builder().size(320, 240).fps(30).backend(Backend.JAVA).build();
        SyntheticScene scene = new SyntheticScene("bad", 320, 240, PixelFormat.I420);
        VideoEncoder encoder = VideoEncoder.open(config);
        encoder.encode(scene.render(0, 0));
        Frame wrongSize = new SyntheticScene("bad", 640, 480, PixelFormat.I420).render(1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.encode(wrongSize));
        assertTrue(e.getMessage().contains("640x480"), e.getMessage());
        EncodedFrame next = encoder.encode(scene.render(1, 33_333));
        assertFalse(next.keyframe());
        encoder.close();
        assertThrows(IllegalStateException.class, () -> encoder.encode(scene.render(2, 66_666)));
    }

    @Test
    void otherCodecsAndProfilesAreRefusedByName() {
        IllegalArgumentException h265 = assertThrows(IllegalArgumentException.class, () -> VideoEncoder.open(
                EncoderConfig.builder().codec(Codec.H265).size(320, 240).backend(Backend.JAVA).build()));
        assertTrue(h265.getMessage().contains("H.264 only"), h265.getMessage());
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> VideoEncoder.open(
                EncoderConfig.builder().profile(Profile.HIGH).size(320, 240).backend(Backend.JAVA).build()));
        assertTrue(high.getMessage().contains("profile high"), high.getMessage());
    }

    private static byte[] bytes(Pack p) {
        ByteBuffer b = p.payload();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] rbsp(Pack p) {
        byte[] nal = bytes(p);
        return io.vencflow.core.bitstream.AnnexB.unescape(nal, 1, nal.length);
    }
}
