package io.vencflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.sensor.SensorSource;
import io.vencflow.connectors.testing.Checks;
import io.vencflow.connectors.testing.KafkaTopics;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.testing.Decoded;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.VideoEncoding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cameras through Kafka: an ingest job writes four synthetic cameras (the K230's NV12, the ESP32's
 * RGB565, I420; H.264 and H.265) to a frame topic; an encoding job reads it, encodes per channel and
 * writes NAL records exactly-once; a plain read_committed consumer then finds every frame once per
 * channel, and the appended values decode completely with libavcodec.
 */
class KafkaPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int FRAMES = 40;
    private static EmbeddedKafka kafka;

    /** Channel, size, format and codec of each camera. */
    private record Camera(String id, int width, int height, PixelFormat format, Codec codec) {
    }

    private static final List<Camera> CAMERAS = List.of(
            new Camera("k230-0", 320, 240, PixelFormat.NV12, Codec.H264),
            new Camera("k230-1", 320, 240, PixelFormat.NV12, Codec.H265),
            new Camera("esp32", 176, 144, PixelFormat.RGB565, Codec.H264),
            new Camera("door", 176, 144, PixelFormat.I420, Codec.H264));

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        return env;
    }

    static SensorSource cameras(int frames) {
        SensorSource.Builder b = SensorSource.builder().paced(false).framesPerCamera(frames);
        for (Camera c : CAMERAS) {
            b.camera(c.id(), c.width(), c.height(), c.format(), 30);
        }
        return b.build();
    }

    static ChannelConfigs configs() {
        ChannelConfigs.Builder b = ChannelConfigs.builder();
        for (Camera c : CAMERAS) {
            b.channel(c.id(), EncoderConfig.builder().codec(c.codec()).profile(c.codec() == Codec.H264 ? Profile.HIGH
                    : Profile.MAIN).size(c.width(), c.height()).inputFormat(c.format()).gop(15).backend(Backend.FFMPEG)
                    .preset(Preset.ULTRAFAST).build());
        }
        return b.build();
    }

    /** Job 1: the cameras into the frame topic, keyed by channel. */
    static void ingest(String frameTopic, int frames) throws Exception {
        StreamExecutionEnvironment env = environment();
        env.fromSource(cameras(frames), VideoEncoding.watermarks(Duration.ZERO), "cameras")
                .sinkTo(KafkaVideo.frameSink().bootstrapServers(kafka.bootstrapServers()).topic(frameTopic).build())
                .name("frames to kafka");
        env.execute("ingest");
    }

    @Test
    void fourCamerasThroughKafkaAndTheEncoderGiveCommittedNalRecordsThatDecodeCompletely() throws Exception {
        kafka.createTopic("frames-e2e", 4);
        kafka.createTopic("nal-e2e", 4);
        ingest("frames-e2e", FRAMES);

        List<ConsumerRecord<byte[], byte[]>> frameRecords = KafkaTopics.readCommitted(kafka.bootstrapServers(), "frames-e2e");
        assertEquals(CAMERAS.size() * FRAMES, frameRecords.size(), "frame records");
        Map<String, Long> partitionsPerChannel = frameRecords.stream().collect(Collectors.groupingBy(
                r -> new String(r.key()), Collectors.mapping(ConsumerRecord::partition,
                        Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
        partitionsPerChannel.forEach((channel, n) -> assertEquals(1L, n, channel + " is in one partition"));

        StreamExecutionEnvironment env = environment();
        DataStream<Frame> frames = KafkaVideo.decodeFrames(env.fromSource(KafkaVideo.frameSource()
                .bootstrapServers(kafka.bootstrapServers()).topic("frames-e2e").groupId("e2e").bounded(true).build(),
                KafkaVideo.frameWatermarks(Duration.ofMillis(100)), "kafka frames"));
        VideoEncoding.encode(frames, configs())
                .sinkTo(KafkaVideo.nalSink().bootstrapServers(kafka.bootstrapServers()).topic("nal-e2e")
                        .exactlyOnce("e2e-nal").build())
                .name("nal to kafka");
        env.execute("encode");

        Map<String, List<EncodedFrame>> nal = Checks.nalByChannel(KafkaTopics.readCommitted(kafka.bootstrapServers(),
                "nal-e2e"));
        assertEquals(CAMERAS.stream().map(Camera::id).sorted().toList(), List.copyOf(nal.keySet()));
        for (Camera c : CAMERAS) {
            List<EncodedFrame> stream = nal.get(c.id());
            Checks.assertEveryFrameOnce(c.id(), stream.stream().map(EncodedFrame::sequence).toList(), FRAMES);
            assertTrue(stream.get(0).keyframe(), c.id() + ": starts with an IDR");
            assertEquals(c.codec(), stream.get(0).codec());
            assertEquals(List.of(0L, 1L, 2L), stream.stream().filter(EncodedFrame::keyframe).map(EncodedFrame::gopIndex)
                    .toList(), c.id() + ": an IDR every 15 frames");
            Decoded decoded = Checks.assertDecodesCompletely(c.id(), c.codec(), Checks.appended(stream), FRAMES);
            double psnr = Checks.lumaPsnrAgainstScene(c.id(), Decoded.of(stream).frames(), c.format(), 2);
            assertTrue(psnr > 30, c.id() + ": luma PSNR against its own scene " + psnr + " dB");
            assertEquals(c.width(), decoded.frames().get(0).width());
        }
    }
}
