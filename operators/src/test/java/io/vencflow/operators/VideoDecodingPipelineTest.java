package io.vencflow.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.operators.testing.ChannelMetricValues;
import io.vencflow.operators.testing.CollectingSink;
import io.vencflow.operators.testing.ScriptedFrames;
import io.vencflow.operators.testing.ScriptedFrames.Camera;
import io.vencflow.operators.testing.Streams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The keyed decoder on a MiniCluster: where each channel starts, what it skips, what it gives back. */
class VideoDecodingPipelineTest {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Camera A = new Camera("cam-a", 176, 144);
    private static final Camera B = new Camera("cam-b", 320, 240);
    private static final int FRAMES = 30;

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static List<EncodedFrame> encode(Camera c) {
        EncoderConfig config = EncoderConfig.builder().size(c.width(), c.height()).gop(10).backend(Backend.JCODEC).build();
        List<EncodedFrame> out = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (Frame f : ScriptedFrames.render(c, LongStream.range(0, FRAMES).boxed().toList())) {
                out.add(encoder.encode(f));
            }
        }
        return out;
    }

    private static Map<String, List<Frame>> byChannel(List<Frame> frames) {
        Map<String, List<Frame>> out = new LinkedHashMap<>();
        for (Frame f : frames) {
            out.computeIfAbsent(f.channel(), k -> new ArrayList<>()).add(f);
        }
        return out;
    }

    private static PlaneStats psnr(Camera c, List<Frame> decoded) {
        List<Frame> sources = ScriptedFrames.render(c, Streams.frameSequences(decoded));
        PlaneStats stats = new PlaneStats();
        for (int i = 0; i < decoded.size(); i++) {
            stats.add(sources.get(i), decoded.get(i));
        }
        return stats;
    }

    @Test
    void eachChannelIsDecodedFromItsFirstIdrOnAndWhatCameBeforeIsSkippedAndCounted() throws Exception {
        List<EncodedFrame> a = encode(A).subList(5, FRAMES); // starts with P frames 5..9, IDR at 10
        List<EncodedFrame> b = encode(B);
        List<EncodedFrame> input = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            if (i < a.size()) {
                input.add(a.get(i));
            }
            input.add(b.get(i));
        }
        StreamExecutionEnvironment env = environment();
        CollectingSink<Frame> sink = new CollectingSink<>();
        VideoDecoding.decode(env.fromData(input, VideoTypes.ENCODED_FRAME).setParallelism(1)).sinkTo(sink);
        JobClient job = env.executeAsync("decode");
        job.getJobExecutionResult().get();

        Map<String, List<Frame>> out = byChannel(sink.records());
        assertEquals(LongStream.range(10, FRAMES).boxed().toList(), Streams.frameSequences(out.get(A.id())));
        assertEquals(LongStream.range(0, FRAMES).boxed().toList(), Streams.frameSequences(out.get(B.id())));
        for (Camera c : List.of(A, B)) {
            Frame first = out.get(c.id()).get(0);
            assertEquals(c.width() + "x" + c.height() + " " + PixelFormat.I420,
                    first.width() + "x" + first.height() + " " + first.format());
            assertEquals(ScriptedFrames.ptsMicros(first.sequence()), first.ptsMicros());
            PlaneStats stats = psnr(c, out.get(c.id()));
            assertTrue(stats.psnr(0) > 30, c.id() + ": " + stats);
        }
        ChannelMetricValues ma = ChannelMetricValues.of(METRICS, job.getJobID(), "vencflow decode", A.id());
        assertEquals(25, ma.counter("framesIn"));
        assertEquals(5, ma.counter("skippedBeforeIdr"));
        assertEquals(20, ma.counter("framesDecoded"));
        assertEquals(0, ma.counter("decodeErrors"));
        ChannelMetricValues mb = ChannelMetricValues.of(METRICS, job.getJobID(), "vencflow decode", B.id());
        assertEquals(0, mb.counter("skippedBeforeIdr"));
        assertEquals(FRAMES, mb.counter("framesDecoded"));
    }

    @Test
    void encodeThenDecodeInOneJobGivesBackEveryFrameCloseToTheSourceAndCountsItsMetrics() throws Exception {
        StreamExecutionEnvironment env = environment();
        ScriptedFrames script = ScriptedFrames.roundRobin(List.of(A, B), FRAMES);
        DataStream<Frame> frames = env.fromSource(script.source(), VideoEncoding.watermarks(Duration.ofMillis(100)),
                "cameras").setParallelism(1);
        ChannelConfigs configs = ChannelConfigs.builder()
                .channel(A.id(), EncoderConfig.builder().size(A.width(), A.height()).gop(10).backend(Backend.JCODEC).build())
                .channel(B.id(), EncoderConfig.builder().size(B.width(), B.height()).gop(10).backend(Backend.JCODEC).build())
                .build();
        var encoded = VideoEncoding.encode(frames, configs);
        CollectingSink<EncodedFrame> encodedSink = new CollectingSink<>();
        CollectingSink<Frame> decodedSink = new CollectingSink<>();
        encoded.sinkTo(encodedSink);
        VideoDecoding.decode(encoded).sinkTo(decodedSink);
        JobClient job = env.executeAsync("encode and decode");
        job.getJobExecutionResult().get();
        JobID id = job.getJobID();

        Map<String, List<Frame>> decoded = byChannel(decodedSink.records());
        Map<String, List<EncodedFrame>> encodedByChannel = Streams.byChannel(encodedSink.records());
        for (Camera c : List.of(A, B)) {
            assertEquals(LongStream.range(0, FRAMES).boxed().toList(), Streams.frameSequences(decoded.get(c.id())));
            PlaneStats stats = psnr(c, decoded.get(c.id()));
            assertTrue(stats.psnr(0) > 30 && stats.psnr(1) > 28 && stats.psnr(2) > 28, c.id() + ": " + stats);

            List<EncodedFrame> stream = encodedByChannel.get(c.id());
            ChannelMetricValues enc = ChannelMetricValues.of(METRICS, id, "vencflow encode", c.id());
            assertEquals(FRAMES, enc.counter("framesIn"));
            assertEquals(FRAMES, enc.counter("framesEncoded"));
            assertEquals(3, enc.counter("keyframes"));
            assertEquals(stream.stream().mapToLong(EncodedFrame::annexBSize).sum(), enc.counter("bytesOut"));
            assertEquals(FRAMES, enc.histogram("encodeTimeMicros").getCount());
            assertTrue(enc.histogram("encodeTimeMicros").getStatistics().getMin() > 0);
            // bitrate: the bits of the access units captured in the last second before the last one
            long lastPts = stream.get(FRAMES - 1).ptsMicros();
            long bits = 8 * stream.stream().filter(f -> f.ptsMicros() > lastPts - 1_000_000)
                    .mapToLong(EncodedFrame::annexBSize).sum();
            assertEquals(bits, enc.gauge("bitrateBps"));
            assertEquals(0, enc.counter("rejected") + enc.counter("late") + enc.counter("idleCloses"));

            ChannelMetricValues dec = ChannelMetricValues.of(METRICS, id, "vencflow decode", c.id());
            assertEquals(FRAMES, dec.counter("framesDecoded"));
            assertEquals(0, dec.counter("decodeErrors"));
        }
    }

    @Test
    void anAccessUnitStreamNotTypedAsVideoTypesIsRefused() {
        StreamExecutionEnvironment env = environment();
        DataStream<EncodedFrame> untyped = env.fromData(encode(B).subList(0, 1), VideoTypes.ENCODED_FRAME).map(f -> f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VideoDecoding.decode(untyped));
        assertTrue(e.getMessage().contains("expected VideoTypes.ENCODED_FRAME"), e.getMessage());
    }
}
