package io.vencflow.core.codec.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** Natives, contexts and frames are freed on close: the process does not grow with encoders opened. */
class FfmpegResourceTest {

    @Test
    void openingAndClosingThousandsOfEncodersAndDecodersKeepsResidentMemoryFlat() throws IOException {
        SyntheticScene scene = new SyntheticScene("leak", 64, 64, PixelFormat.I420);
        Frame[] frames = {scene.render(0, 0), scene.render(1, 1), scene.render(2, 2)};
        EncoderConfig h264 = EncoderConfig.builder().size(64, 64).backend(Backend.FFMPEG).build();
        EncoderConfig h265 = h264.toBuilder().codec(Codec.H265).profile(io.vencflow.core.codec.Profile.MAIN).build();

        cycle(300, frames, h264, h265); // let allocators and the JIT settle
        long before = nativeResidentBytes();
        int rounds = 1500;
        cycle(rounds, frames, h264, h265);
        long after = nativeResidentBytes();

        long growth = after - before;
        // A leaked x264 context alone is over 1 MB; 1500 of them would be gigabytes.
        assertTrue(growth < 24L << 20, "resident memory outside the Java heap grew by " + (growth >> 20) + " MB over "
                + rounds + " encoder+decoder lifetimes (before " + (before >> 20) + " MB, after " + (after >> 20) + " MB)");
    }

    private static void cycle(int rounds, Frame[] frames, EncoderConfig h264, EncoderConfig h265) {
        for (int i = 0; i < rounds; i++) {
            EncoderConfig config = i % 3 == 2 ? h265 : h264;
            EncodedFrame first = null;
            int decoded = 0;
            try (VideoEncoder encoder = VideoEncoder.open(config); VideoDecoder decoder = VideoDecoder.open(config.codec())) {
                for (Frame f : frames) {
                    EncodedFrame e = encoder.encode(f);
                    first = first == null ? e : first;
                    decoded += decoder.decode(e).size();
                }
                decoded += decoder.flush().size();
                assertEquals(0, decoder.errors());
            }
            assertEquals(3, decoded);
            assertTrue(first.keyframe());
        }
    }

    /** The process's resident set less the Java heap's committed size, after a GC. */
    private static long nativeResidentBytes() throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return kb * 1024 - heap;
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }
}
