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
import io.vencflow.connectors.kafka.internal.WireRecordSerializer;
import io.vencflow.connectors.testing.CollectingSink;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.wire.FrameRecords;
import io.vencflow.core.wire.WireHeaders;
import io.vencflow.core.wire.WireRecord;
import io.vencflow.connectors.archive.ArchiveSegments;
import io.vencflow.connectors.archive.ArchiveSegments.Segment;
import io.vencflow.connectors.archive.ArchiveSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cameras through Kafka: an ingest job writes four synthetic cameras (the K230's NV12, the ESP32's
 * RGB565, I420; H.264 and H.265) to a frame topic; an encoding job reads it, encodes per channel and
 * writes NAL records exactly-once; a plain read_committed consumer then finds every frame once per
 * channel, and the appended values decode completely with libavcodec.
 */
class KafkaPipelineTest {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int FRAMES = 40;
    private static EmbeddedKafka kafka;
    private static JobID lastJob;

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

    /** Reads the frame topic, encodes, writes NAL records exactly-once; returns the dead letters. */
    static CollectingSink<DeadLetter> encode(String frameTopic, String nalTopic, String group, Path archive)
            throws Exception {
        StreamExecutionEnvironment env = environment();
        SingleOutputStreamOperator<Frame> frames = KafkaVideo.decodeFrames(env.fromSource(KafkaVideo.frameSource()
                .bootstrapServers(kafka.bootstrapServers()).topic(frameTopic).groupId(group).bounded(true).build(),
                KafkaVideo.frameWatermarks(Duration.ofMillis(100)), "kafka frames"));
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        frames.getSideOutput(KafkaVideo.DEAD_LETTERS).sinkTo(deadLetters);
        SingleOutputStreamOperator<EncodedFrame> encoded = VideoEncoding.encode(frames, configs());
        encoded.sinkTo(KafkaVideo.nalSink().bootstrapServers(kafka.bootstrapServers()).topic(nalTopic)
                        .exactlyOnce(nalTopic).build())
                .name("nal to kafka");
        if (archive != null) {
            encoded.sinkTo(ArchiveSink.builder().directory(archive).maxSegmentDuration(Duration.ofSeconds(1)).build())
                    .name("archive");
        }
        lastJob = env.execute("encode").getJobID();
        return deadLetters;
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
    void fourCamerasThroughKafkaAndTheEncoderGiveCommittedNalRecordsAndArchiveSegmentsThatDecodeCompletely(
            @TempDir Path archive) throws Exception {
        kafka.createTopic("frames-e2e", 4);
        kafka.createTopic("nal-e2e", 4);
        ingest("frames-e2e", FRAMES);

        List<ConsumerRecord<byte[], byte[]>> frameRecords = KafkaTopics.readCommitted(kafka.bootstrapServers(), "frames-e2e");
        assertEquals(CAMERAS.size() * FRAMES, frameRecords.size(), "frame records");
        Map<String, Long> partitionsPerChannel = frameRecords.stream().collect(Collectors.groupingBy(
                r -> new String(r.key()), Collectors.mapping(ConsumerRecord::partition,
                        Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
        partitionsPerChannel.forEach((channel, n) -> assertEquals(1L, n, channel + " is in one partition"));

        assertEquals(List.of(), encode("frames-e2e", "nal-e2e", "e2e", archive).records(), "no dead letters");

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

        assertEquals(CAMERAS.stream().map(Camera::id).sorted().toList(), ArchiveSegments.channels(archive));
        for (Camera c : CAMERAS) {
            List<Segment> segments = ArchiveSegments.list(archive, c.id());
            assertEquals(List.of(0L, 30L), segments.stream().map(Segment::startSequence).toList(),
                    c.id() + ": 1 s segments of 30 frames, rolled at the IDR of frame 30");
            Checks.assertSegmentsHoldEveryFrameOnce(c.id(), c.codec(), c.format(), segments, FRAMES);
        }
    }

    @Test
    void corruptFrameRecordsGoToDeadLettersWithTheirReasonAndTheGoodOnesAroundThemAreAllEncoded() throws Exception {
        kafka.createTopic("frames-corrupt", 2);
        kafka.createTopic("nal-corrupt", 2);
        Camera door = CAMERAS.get(3);
        Camera esp = CAMERAS.get(2);
        SyntheticScene doorScene = new SyntheticScene(door.id(), door.width(), door.height(), door.format());
        SyntheticScene espScene = new SyntheticScene(esp.id(), esp.width(), esp.height(), esp.format());
        int frames = 24;
        Map<String, WireRecord> corrupt = new LinkedHashMap<>();
        WireRecord sample = FrameRecords.encode(doorScene.render(0, 0));
        corrupt.put("missing_header", without(sample, WireHeaders.SEQ));
        corrupt.put("size_mismatch", new WireRecord(sample.key(), Arrays.copyOf(sample.value(), 1000), sample.headers()));
        corrupt.put("unknown_format", with(sample, WireHeaders.FORMAT, "yuv444p"));
        corrupt.put("invalid_header", with(sample, WireHeaders.WIDTH, "wide"));
        corrupt.put("invalid_dimensions", with(with(sample, WireHeaders.WIDTH, "175"), WireHeaders.HEIGHT, "145"));
        corrupt.put("missing_value", new WireRecord(sample.key(), null, sample.headers()));
        corrupt.put("missing_key", new WireRecord(null, sample.value(), sample.headers()));
        corrupt.put("invalid_channel", new WireRecord("../etc".getBytes(StandardCharsets.UTF_8), sample.value(),
                sample.headers()));

        Map<String, RecordMetadata> written = new LinkedHashMap<>();
        List<String> kinds = List.copyOf(corrupt.keySet());
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < frames; i++) {
                send(producer, "frames-corrupt", FrameRecords.encode(doorScene.render(i, 1_000_000L + i * 33_333L)));
                send(producer, "frames-corrupt", FrameRecords.encode(espScene.render(i, 1_000_000L + i * 33_333L)));
                if (i % 3 == 1) {
                    String kind = kinds.get(i / 3);
                    written.put(kind, send(producer, "frames-corrupt", corrupt.get(kind)));
                }
            }
        }
        assertEquals(kinds, List.copyOf(written.keySet()), "every kind written");

        List<DeadLetter> dead = encode("frames-corrupt", "nal-corrupt", "corrupt", null).records();
        assertEquals(kinds.size(), dead.size(), "one dead letter per corrupt record: " + dead);
        for (DeadLetter d : dead) {
            RecordMetadata m = written.get(d.reason());
            assertTrue(m != null, "unexpected reason in " + d);
            assertEquals("frames-corrupt", d.topic());
            assertEquals(m.partition(), d.partition(), d.toString());
            assertEquals(m.offset(), d.offset(), d.toString());
            assertTrue(!d.message().isEmpty(), d.toString());
        }
        DeadLetter sizeMismatch = dead.stream().filter(d -> d.reason().equals("size_mismatch")).findFirst().orElseThrow();
        assertEquals("door", sizeMismatch.key());
        assertEquals("frame record #0 of channel door has 1000 pixel bytes; a 176x144 i420 frame has 38016",
                sizeMismatch.message());
        assertEquals("../etc", dead.stream().filter(d -> d.reason().equals("invalid_channel")).findFirst().orElseThrow()
                .key());
        assertEquals(null, dead.stream().filter(d -> d.reason().equals("missing_key")).findFirst().orElseThrow().key());

        assertEquals(kinds.size(), counterSum(lastJob, "deadLetters"));
        for (String kind : kinds) {
            assertEquals(1, counterSum(lastJob, "deadLetters_" + kind), kind);
        }
        assertEquals(0, counterSum(lastJob, "deadLetters_unknown_codec"));

        Map<String, List<EncodedFrame>> nal = Checks.nalByChannel(KafkaTopics.readCommitted(kafka.bootstrapServers(),
                "nal-corrupt"));
        assertEquals(List.of("door", "esp32"), List.copyOf(nal.keySet()));
        for (Camera c : List.of(door, esp)) {
            List<EncodedFrame> stream = nal.get(c.id());
            Checks.assertEveryFrameOnce(c.id(), stream.stream().map(EncodedFrame::sequence).toList(), frames);
            Checks.assertDecodesCompletely(c.id(), c.codec(), Checks.appended(stream), frames);
        }
    }

    private static long counterSum(JobID job, String name) {
        long sum = 0;
        boolean found = false;
        for (var e : METRICS.getMetricsByGroup().entrySet()) {
            if (job.toString().equals(e.getKey().getAllVariables().get("<job_id>"))
                    && e.getValue().get(name) instanceof Counter c) {
                sum += c.getCount();
                found = true;
            }
        }
        assertTrue(found, "no counter " + name + " in job " + job);
        return sum;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one record (partitioned by its key, or to partition 0 without a key) and waits for it. */
    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String topic, WireRecord r)
            throws Exception {
        ProducerRecord<byte[], byte[]> pr = WireRecordSerializer.toProducerRecord(topic, r);
        if (r.key() == null) {
            pr = new ProducerRecord<>(topic, 0, null, null, r.value(), pr.headers());
        }
        return producer.send(pr).get();
    }

    private static WireRecord with(WireRecord r, String header, String value) {
        Map<String, byte[]> h = new LinkedHashMap<>(r.headers());
        h.put(header, value.getBytes(StandardCharsets.UTF_8));
        return new WireRecord(r.key(), r.value(), h);
    }

    private static WireRecord without(WireRecord r, String header) {
        Map<String, byte[]> h = new LinkedHashMap<>(r.headers());
        h.remove(header);
        return new WireRecord(r.key(), r.value(), h);
    }

    @Test
    void fullHdFramesOf3MegabytesPassThroughTheFrameSinkAndSourceWithTheirSettings() throws Exception {
        kafka.createTopic("frames-1080p", 1);
        SensorSource camera = SensorSource.builder().camera("hd", 1920, 1080, PixelFormat.I420, 30).paced(false)
                .framesPerCamera(4).clockStartMicros(0).build();
        StreamExecutionEnvironment ingest = environment();
        ingest.fromSource(camera, VideoEncoding.watermarks(Duration.ZERO), "camera")
                .sinkTo(KafkaVideo.frameSink().bootstrapServers(kafka.bootstrapServers()).topic("frames-1080p").build());
        ingest.execute("ingest 1080p");

        StreamExecutionEnvironment read = environment();
        CollectingSink<Frame> frames = new CollectingSink<>();
        KafkaVideo.decodeFrames(read.fromSource(KafkaVideo.frameSource().bootstrapServers(kafka.bootstrapServers())
                .topic("frames-1080p").groupId("hd").bounded(true).build(),
                KafkaVideo.frameWatermarks(Duration.ZERO), "kafka frames")).sinkTo(frames);
        read.execute("read 1080p");

        List<Frame> got = frames.records();
        assertEquals(4, got.size());
        SyntheticScene scene = new SyntheticScene("hd", 1920, 1080, PixelFormat.I420);
        for (Frame f : got) {
            assertEquals(3_110_400, f.size(), "a 1920x1080 I420 frame is 3.1 MB");
            assertEquals(scene.render(f.sequence(), 0).pixels(), f.pixels(), "frame #" + f.sequence());
            assertEquals(f.sequence() * 1_000_000L / 30, f.ptsMicros());
        }
    }
}
