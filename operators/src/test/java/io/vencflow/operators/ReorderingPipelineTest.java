package io.vencflow.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.testing.ChannelMetricValues;
import io.vencflow.operators.testing.CollectingSink;
import io.vencflow.operators.testing.EveryFrameWatermarks;
import io.vencflow.operators.testing.ScriptedFrames;
import io.vencflow.operators.testing.ScriptedFrames.Camera;
import io.vencflow.operators.testing.ScriptedFrames.Shot;
import io.vencflow.operators.testing.Streams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Out-of-order, late and duplicate frames through the keyed encoder on a MiniCluster; the outcome is
 * read from the sinks and from the operator's per-channel metrics (Flink's in-memory reporter).
 */
class ReorderingPipelineTest {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final List<Camera> CAMERAS = List.of(new Camera("cam-a", 176, 144), new Camera("cam-b", 320, 240));
    private static final int FRAMES = 40;
    private static final long OUT_OF_ORDERNESS_MS = 100;
    private static final EncodingOptions OPTIONS = EncodingOptions.builder().latenessMs(300).build();

    /** The outputs of one run. */
    private record Run(JobID job, List<EncodedFrame> encoded, List<Frame> late) {
        List<EncodedFrame> channel(String id) {
            return Streams.byChannel(encoded).get(id);
        }
    }

    private static Run run(List<Shot> script) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        ChannelConfigs.Builder configs = ChannelConfigs.builder();
        for (Camera c : CAMERAS) {
            configs.channel(c.id(), EncoderConfig.builder().size(c.width(), c.height()).gop(15)
                    .backend(Backend.JCODEC).build());
        }
        DataStream<Frame> frames = env.fromSource(ScriptedFrames.of(CAMERAS, script).source(),
                EveryFrameWatermarks.of(OUT_OF_ORDERNESS_MS), "cameras").setParallelism(1);
        SingleOutputStreamOperator<EncodedFrame> encoded = VideoEncoding.encode(frames, configs.build(), OPTIONS);
        CollectingSink<EncodedFrame> out = new CollectingSink<>();
        CollectingSink<Frame> late = new CollectingSink<>();
        encoded.sinkTo(out);
        encoded.getSideOutput(VideoEncoding.LATE_FRAMES).sinkTo(late);
        JobClient client = env.executeAsync("reordering");
        client.getJobExecutionResult().get();
        return new Run(client.getJobID(), out.records(), late.records());
    }

    @Test
    void framesShuffledWithinTheLatenessBoundComeOutInOrderAndComplete() throws Exception {
        // Each channel's frames shuffled within blocks of 4: up to 3 frames (100 ms) out of place.
        Random random = new Random(7);
        List<List<Shot>> perCamera = new ArrayList<>();
        for (int c = 0; c < CAMERAS.size(); c++) {
            List<Shot> shots = new ArrayList<>();
            for (int block = 0; block < FRAMES; block += 4) {
                List<Shot> b = new ArrayList<>();
                for (int s = block; s < block + 4; s++) {
                    b.add(new Shot(c, s));
                }
                Collections.shuffle(b, random);
                shots.addAll(b);
            }
            perCamera.add(shots);
        }
        List<Shot> script = interleave(perCamera);
        assertTrue(script.subList(0, 8).stream().anyMatch(s -> s.sequence() != script.indexOf(s) / 2),
                "the script is out of order");

        Run run = run(script);
        for (Camera c : CAMERAS) {
            List<EncodedFrame> stream = run.channel(c.id());
            assertEquals(LongStream.range(0, FRAMES).boxed().toList(), Streams.sequences(stream), c.id());
            Streams.checkDecodable(c.id(), stream);
            ChannelMetricValues m = ChannelMetricValues.of(METRICS, run.job(), "vencflow encode", c.id());
            assertEquals(FRAMES, m.counter("framesIn"), c.id() + " " + m);
            assertEquals(FRAMES, m.counter("framesEncoded"));
            assertEquals(0, m.counter("late"));
            assertEquals(0, m.counter("skippedGaps"));
            assertEquals(0, m.counter("duplicates"));
        }
        assertEquals(List.of(), run.late());
    }

    @Test
    void aFrameBeyondTheBoundGoesToTheLateOutputAndTheCounterAndTheStreamStaysDecodable() throws Exception {
        // cam-a: frame 10 arrives after frame 30 (667 ms of capture time later, beyond 100 ms of
        // out-of-orderness + 300 ms of lateness), frame 20 arrives twice; cam-b is in order.
        List<Shot> a = new ArrayList<>();
        for (int s = 0; s < FRAMES; s++) {
            if (s != 10) {
                a.add(new Shot(0, s));
            }
            if (s == 20) {
                a.add(new Shot(0, 20));
            }
            if (s == 30) {
                a.add(new Shot(0, 10));
            }
        }
        List<Shot> b = new ArrayList<>();
        for (int s = 0; s < FRAMES; s++) {
            b.add(new Shot(1, s));
        }
        Run run = run(interleave(List.of(a, b)));

        List<Long> expectedA = new ArrayList<>(LongStream.range(0, FRAMES).boxed().toList());
        expectedA.remove(Long.valueOf(10));
        List<EncodedFrame> streamA = run.channel("cam-a");
        assertEquals(expectedA, Streams.sequences(streamA));
        Streams.checkDecodable("cam-a", streamA);
        assertEquals(List.of(10L), Streams.frameSequences(run.late()));
        assertEquals("cam-a", run.late().get(0).channel());

        ChannelMetricValues ma = ChannelMetricValues.of(METRICS, run.job(), "vencflow encode", "cam-a");
        assertEquals(FRAMES + 1, ma.counter("framesIn"));
        assertEquals(FRAMES - 1, ma.counter("framesEncoded"));
        assertEquals(1, ma.counter("late"));
        assertEquals(1, ma.counter("duplicates"));
        assertEquals(1, ma.counter("skippedGaps"));
        assertEquals(1, ma.counter("skippedFrames"));

        List<EncodedFrame> streamB = run.channel("cam-b");
        assertEquals(LongStream.range(0, FRAMES).boxed().toList(), Streams.sequences(streamB));
        ChannelMetricValues mb = ChannelMetricValues.of(METRICS, run.job(), "vencflow encode", "cam-b");
        assertEquals(0, mb.counter("late") + mb.counter("skippedGaps") + mb.counter("duplicates"));
    }

    private static List<Shot> interleave(List<List<Shot>> lists) {
        List<Shot> out = new ArrayList<>();
        int n = lists.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < n; i++) {
            for (List<Shot> l : lists) {
                if (i < l.size()) {
                    out.add(l.get(i));
                }
            }
        }
        return out;
    }

}
