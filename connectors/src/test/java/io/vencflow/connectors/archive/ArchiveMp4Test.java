package io.vencflow.connectors.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.archive.ArchiveSegments.Segment;
import io.vencflow.connectors.sensor.SensorSource;
import io.vencflow.connectors.testing.Mp4Probe;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.VideoEncoding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** MP4 segments as FFmpeg's own demuxer and decoder see them. */
class ArchiveMp4Test {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void mp4SegmentsOpenInLibavformatWithTheirFrameCountAndDurationAndDecodeCompletely(@TempDir Path archive)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        SensorSource cameras = SensorSource.builder().camera("h264cam").camera("h265cam").size(320, 240).fps(25)
                .framesPerCamera(110).paced(false).build();
        ChannelConfigs configs = ChannelConfigs.builder()
                .channel("h264cam", config(Codec.H264, Profile.HIGH))
                .channel("h265cam", config(Codec.H265, Profile.MAIN)).build();
        VideoEncoding.encode(env.fromSource(cameras, VideoEncoding.watermarks(Duration.ZERO), "cameras"), configs)
                .sinkTo(ArchiveSink.builder().directory(archive).format(SegmentFormat.MP4)
                        .maxSegmentDuration(Duration.ofSeconds(2)).build());
        env.execute("mp4 archive");

        List<Segment> segments = ArchiveSegments.list(archive, "h264cam");
        assertEquals(List.of(0L, 50L, 100L), segments.stream().map(Segment::startSequence).toList(),
                "2 s segments at 25 fps, rolled at the IDRs (every 25 frames)");
        int[] frames = {50, 50, 10};
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            assertEquals("mp4", s.extension());
            Mp4Probe p = Mp4Probe.of(s.path());
            assertTrue(p.format().contains("mp4"), s + " is read as MP4: " + p);
            assertEquals(1, p.streams());
            assertTrue(p.h264(), s + " holds H.264");
            assertEquals(320, p.width());
            assertEquals(240, p.height());
            assertEquals(frames[i], p.indexedFrames(), s + ": samples in the index");
            double expected = frames[i] / 25.0;
            assertEquals(expected, p.durationSeconds(), 1 / 25.0, s + ": file duration " + p);
            assertEquals(expected, p.streamDurationSeconds(), 1 / 25.0, s + ": stream duration " + p);
            assertEquals(frames[i], p.decodedFrames(), s + ": pictures decoded");
            assertEquals(0, p.decodeErrors(), s + ": decode errors");
        }

        try (var leftovers = java.nio.file.Files.list(archive.resolve("h264cam").resolve(".inprogress"))) {
            assertEquals(List.of(), leftovers.toList(), "the Annex-B sources of committed MP4s are removed");
        }

        List<Segment> hevc = ArchiveSegments.list(archive, "h265cam");
        assertEquals(List.of("h265", "h265", "h265"), hevc.stream().map(Segment::extension).toList(),
                "H.265 channels stay Annex-B: JCodec's MP4 muxer has no HEVC sample entry");
    }

    private static EncoderConfig config(Codec codec, Profile profile) {
        return EncoderConfig.builder().codec(codec).profile(profile).size(320, 240).fps(25).gop(25)
                .inputFormat(PixelFormat.I420).backend(Backend.FFMPEG).preset(Preset.ULTRAFAST).build();
    }
}
