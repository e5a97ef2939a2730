package io.vencflow.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.archive.ArchiveSegments;
import io.vencflow.connectors.archive.ArchiveSegments.Segment;
import io.vencflow.connectors.archive.ArchiveSink;
import io.vencflow.connectors.kafka.EmbeddedKafka;
import io.vencflow.connectors.kafka.KafkaVideo;
import io.vencflow.connectors.sensor.SensorSource;
import io.vencflow.connectors.testing.Checks;
import io.vencflow.connectors.testing.FailAfterCheckpoints;
import io.vencflow.connectors.testing.KafkaTopics;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.VideoEncoding;
import io.vencflow.operators.VideoTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task fails once mid-job, after checkpoints have completed; the job restarts from the last one. The
 * exactly-once sinks must still hold every frame of every channel exactly once: the NAL topic as a
 * read_committed consumer sees it, and the committed archive segments. Both decode completely.
 */
class RecoveryTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int FRAMES = 90;
    private static final List<String> CAMERAS = List.of("cam0", "cam1", "cam2", "cam3");
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aTaskFailingOnceAfterACheckpointLeavesNalRecordsAndArchiveSegmentsWithEveryFrameExactlyOnce(
            @TempDir Path archive) throws Exception {
        kafka.createTopic("nal-recovery", 2);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);

        // Paced: 90 frames per camera at 30 fps, three seconds, so checkpoints complete while it runs.
        SensorSource cameras = SensorSource.builder().cameras(4).size(176, 144).format(PixelFormat.NV12).fps(30)
                .framesPerCamera(FRAMES).build();
        // One GOP per channel unless an encoder is rebuilt: the restart shows as a second IDR.
        ChannelConfigs configs = ChannelConfigs.of(EncoderConfig.builder().codec(Codec.H264).profile(Profile.MAIN)
                .size(176, 144).inputFormat(PixelFormat.NV12).gop(1000).backend(Backend.FFMPEG).preset(Preset.ULTRAFAST)
                .build());
        FailAfterCheckpoints failure = new FailAfterCheckpoints("cam1", 40, 2);
        SingleOutputStreamOperator<EncodedFrame> encoded = VideoEncoding.encode(
                env.fromSource(cameras, VideoEncoding.watermarks(Duration.ofMillis(100)), "cameras").uid("cameras"),
                configs).map(failure).returns(VideoTypes.ENCODED_FRAME).name("fail once").uid("fail-once");
        encoded.sinkTo(KafkaVideo.nalSink().bootstrapServers(kafka.bootstrapServers()).topic("nal-recovery")
                .exactlyOnce("recovery-nal").build()).name("nal to kafka").uid("nal-sink");
        encoded.sinkTo(ArchiveSink.builder().directory(archive).maxSegmentDuration(Duration.ofSeconds(1)).build())
                .name("archive").uid("archive");
        env.executeAsync("recovery").getJobExecutionResult().get(180, TimeUnit.SECONDS);
        assertTrue(failure.failed(), "the injected failure happened");

        Map<String, List<EncodedFrame>> nal = Checks.nalByChannel(KafkaTopics.readCommitted(kafka.bootstrapServers(),
                "nal-recovery"));
        assertEquals(CAMERAS, List.copyOf(nal.keySet()));
        for (String c : CAMERAS) {
            List<EncodedFrame> stream = nal.get(c);
            Checks.assertEveryFrameOnce(c, stream.stream().map(EncodedFrame::sequence).toList(), FRAMES);
            List<EncodedFrame> idrs = stream.stream().filter(EncodedFrame::keyframe).toList();
            assertEquals(2, idrs.size(), c + ": the first IDR and the one of the restored encoder: " + idrs);
            long resume = idrs.get(1).sequence();
            assertTrue(resume > 0 && resume < FRAMES, c + ": restored from a checkpoint mid-stream, at " + resume);
            assertEquals(1, idrs.get(1).gopIndex(), c + ": the GOP index kept counting across the restore");
            Checks.assertDecodesCompletely(c, Codec.H264, Checks.appended(stream), FRAMES);

            List<Segment> segments = ArchiveSegments.list(archive, c);
            Checks.assertSegmentsHoldEveryFrameOnce(c, Codec.H264, PixelFormat.NV12, segments, FRAMES);
            assertTrue(segments.stream().anyMatch(s -> s.startSequence() == resume),
                    c + ": a segment starts at the resume IDR " + resume + ": " + segments);
        }
    }
}
