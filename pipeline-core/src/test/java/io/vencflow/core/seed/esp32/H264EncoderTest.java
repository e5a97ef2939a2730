package io.vencflow.core.seed.esp32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.bitstream.AccessUnitAssembler;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.testing.Decoded;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H264EncoderTest {

    /** The seed's "record 300 frames to a raw .h264" example, with an RGB565 QVGA sensor at 15 fps. */
    @Test
    void recordingThreeHundredFramesGivesARawH264ThatPlays(@TempDir Path dir) throws IOException {
        int frameCount = 300;
        Path outPath = dir.resolve("out.h264");
        SyntheticScene sensor = new SyntheticScene("esp32", 320, 240, PixelFormat.RGB565);

        Frame first = sensor.render(0, 0);
        H264Encoder enc = new H264Encoder(first.width(), first.height(), 15, 15, 1_500_000,
                H264Encoder.DEFAULT_QP_MIN, H264Encoder.DEFAULT_QP_MAX, Backend.JCODEC);
        int keyframes = 0;
        try (OutputStream output = Files.newOutputStream(outPath)) {
            output.write(enc.encode(first));
            keyframes += enc.keyframe() ? 1 : 0;
            for (int i = 1; i < frameCount; i++) {
                output.write(enc.encode(sensor.render(i, i * 66_666L)));
                keyframes += enc.keyframe() ? 1 : 0;
            }
        } finally {
            enc.close();
        }
        assertEquals(20, keyframes, "gop 15 over 300 frames");
        byte[] stream = Files.readAllBytes(outPath);
        Decoded decoded = Decoded.ofAnnexB(Codec.H264, stream);
        assertEquals(0, decoded.errors());
        assertEquals(frameCount, decoded.frames().size());
        // 1.5 Mbit/s at 15 fps for 20 s of video: 3.75 MB; the pure-Java backend stays within 25%.
        double seconds = frameCount / 15.0;
        double bitrate = stream.length * 8 / seconds;
        assertTrue(bitrate < 1.25 * 1_500_000, "bitrate " + bitrate);
    }

    @Test
    void documentedDefaultsGiveOneKeyframeASecond() throws IOException {
        SyntheticScene sensor = new SyntheticScene("esp32", 160, 120, PixelFormat.RGB565);
        try (H264Encoder enc = new H264Encoder(160, 120, 30, 0, 0, 10, 51, Backend.JCODEC)) {
            for (int i = 0; i < 61; i++) {
                byte[] annexB = enc.encode(sensor.render(i, i));
                assertEquals(i % 30 == 0, enc.keyframe(), "frame " + i);
                List<List<byte[]>> aus = AccessUnitAssembler.split(Codec.H264, annexB);
                assertEquals(1, aus.size());
                int first = NalUnit.type(Codec.H264, aus.get(0).get(0)[0]);
                assertEquals(i % 30 == 0 ? NalUnit.H264_SPS : NalUnit.H264_SLICE, first);
            }
        }
    }

    @Test
    void anImageOfAnotherSizeIsAnErrorAndTheEncoderGoesOn() throws IOException {
        try (H264Encoder enc = new H264Encoder(160, 120)) {
            Frame big = new SyntheticScene("esp32", 320, 240, PixelFormat.RGB565).render(0, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> enc.encode(big));
            assertEquals("image is 320x240; this encoder was opened for 160x120", e.getMessage());
            byte[] out = enc.encode(new SyntheticScene("esp32", 160, 120, PixelFormat.RGB565).render(0, 0));
            assertTrue(out.length > 100);
            assertTrue(enc.keyframe());
        }
    }

    @Test
    void useAfterCloseRaisesTheJavaFormOfOsError() throws IOException {
        H264Encoder enc = new H264Encoder(160, 120);
        Frame f = new SyntheticScene("esp32", 160, 120, PixelFormat.GRAY8).render(0, 0);
        enc.encode(f);
        assertTrue(enc.keyframe());
        enc.close();
        enc.close();
        IOException e = assertThrows(IOException.class, () -> enc.encode(f));
        assertEquals("H264Encoder 160x120 is closed", e.getMessage());
        assertThrows(IOException.class, enc::keyframe);
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
