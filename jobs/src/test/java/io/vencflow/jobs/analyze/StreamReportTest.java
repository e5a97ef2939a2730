package io.vencflow.jobs.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamReportTest {

    @Test
    void theReportCountsWhatTheEncodersProducedAndDrawsItsPictures(@TempDir Path dir) throws Exception {
        // Two channels, 6 s at 30 fps; channel b loses frames 100..104 on the way.
        long[] bytes = new long[2];
        int[] keyframes = new int[2];
        try (StreamReport report = new StreamReport(12)) {
            String[] ids = {"a", "b"};
            Codec[] codecs = {Codec.H264, Codec.H265};
            for (int c = 0; c < 2; c++) {
                EncoderConfig config = EncoderConfig.builder().codec(codecs[c]).size(320, 240).gop(45)
                        .bitrateBps(c == 0 ? 600_000 : 300_000).build();
                SyntheticScene scene = new SyntheticScene(ids[c], 320, 240, PixelFormat.I420);
                try (VideoEncoder encoder = VideoEncoder.open(config)) {
                    for (int i = 0; i < 180; i++) {
                        EncodedFrame au = encoder.encode(scene.render(i, 5_000_000L + i * 33_333L));
                        if (c == 1 && i >= 100 && i < 105) {
                            continue;
                        }
                        bytes[c] += au.annexBSize();
                        keyframes[c] += au.keyframe() ? 1 : 0;
                        report.add(au);
                    }
                }
            }
            report.finish();
            ChannelStats a = report.channel("a");
            assertEquals(180, a.frames());
            assertEquals(180, a.decodedFrames());
            assertEquals(0, a.decodeErrors());
            assertEquals(bytes[0], a.bytes());
            assertEquals(keyframes[0], a.keyframes());
            assertEquals(4, a.keyframes()); // 0, 45, 90, 135
            assertEquals(List.of(45, 45, 45), a.gopLengths());
            assertEquals(1.5, a.keyframeIntervalSeconds(), 0.001);
            assertEquals(30.0, a.fps(), 0.01);
            assertEquals(600_000, a.averageBitrateBps(), 60_000);
            assertEquals(6, a.bitsPerSecond().size());
            assertEquals(0, a.gaps());

            ChannelStats b = report.channel("b");
            assertEquals(175, b.frames());
            assertEquals(1, b.gaps());
            assertEquals(5, b.missingFrames());
            assertEquals(bytes[1], b.bytes());
            assertEquals(Codec.H265, b.codec());

            List<Path> files = report.write(dir);
            assertEquals(6, files.size());
            BufferedImage plot = ImageIO.read(dir.resolve("a-bitrate.png").toFile());
            assertEquals(900, plot.getWidth());
            BufferedImage sheet = ImageIO.read(dir.resolve("a-keyframes.png").toFile());
            assertTrue(sheet.getHeight() > 144, "one row of thumbnails at least");
            String table = Files.readString(dir.resolve("summary.txt"));
            assertTrue(table.contains("a                h264  320x240       180     180      0   30.00"), table);
            assertTrue(table.contains("b                h265  320x240       175"), table);
        }
    }
}
