package io.vencflow.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.testing.CommittedSink;
import io.vencflow.operators.testing.FailOnce;
import io.vencflow.operators.testing.ScriptedFrames;
import io.vencflow.operators.testing.ScriptedFrames.Camera;
import io.vencflow.operators.testing.Streams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints, savepoints and failures: the committed output of a job (an exactly-once sink that
 * shows only what checkpoints committed) must be every frame of every channel exactly once, in
 * order, decodable across the restart, with an IDR where the restored job's new encoders started.
 */
class RecoveryPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final List<Camera> CAMERAS = List.of(new Camera("door", 176, 144), new Camera("yard", 320, 240));
    private static final int FRAMES = 60;
    /** Source pace over all channels: 120 frames in about 3 s. */
    private static final double FRAMES_PER_SECOND = 40;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }

    /** Paced cameras through the keyed encoder; only one GOP per channel unless an encoder is rebuilt. */
    private static SingleOutputStreamOperator<EncodedFrame> encodedCameras(StreamExecutionEnvironment env) {
        ChannelConfigs.Builder configs = ChannelConfigs.builder();
        for (Camera c : CAMERAS) {
            configs.channel(c.id(), EncoderConfig.builder().size(c.width(), c.height()).gop(1000)
                    .backend(Backend.JCODEC).build());
        }
        DataStream<Frame> frames = env.fromSource(
                ScriptedFrames.roundRobin(CAMERAS, FRAMES).pacedSource(FRAMES_PER_SECOND),
                VideoEncoding.watermarks(Duration.ofMillis(100)), "cameras").setParallelism(1).uid("cameras");
        return VideoEncoding.encode(frames, configs.build());
    }

    private static CommittedSink<EncodedFrame> newSink() {
        return new CommittedSink<>(VideoTypes.ENCODED_FRAME.createSerializer(null));
    }

    @Test
    void stopWithSavepointHalfwayAndResumeGivesEveryFrameOnceWithAnIdrAtTheResumePoint(
            @InjectClusterClient ClusterClient<?> client, @TempDir Path savepoints) throws Exception {
        CommittedSink<EncodedFrame> sink = newSink();

        StreamExecutionEnvironment env1 = environment();
        encodedCameras(env1).sinkTo(sink).uid("committed-sink");
        JobClient first = env1.executeAsync("cameras, first run");
        waitUntil(() -> sink.committed().size() >= FRAMES * CAMERAS.size() / 3, "a third committed");
        String savepoint = client.stopWithSavepoint(first.getJobID(), false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(JobStatus.FINISHED, first.getJobStatus().get());
        int committedByFirst = sink.committed().size();
        assertTrue(committedByFirst < FRAMES * CAMERAS.size(), "the first run stopped before the end: "
                + committedByFirst);

        StreamExecutionEnvironment env2 = environment();
        encodedCameras(env2).sinkTo(sink).uid("committed-sink");
        StreamGraph graph = env2.getStreamGraph();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        JobClient second = env2.executeAsync(graph);
        second.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        checkCompleteWithOneRestart(sink, first.getJobID(), second.getJobID());
    }

    @Test
    void aTaskThatFailsOnceRestartsFromTheLastCheckpointAndTheCommittedOutputIsExactlyOnce() throws Exception {
        CommittedSink<EncodedFrame> sink = newSink();
        FailOnce failure = new FailOnce("door", FRAMES / 2);
        StreamExecutionEnvironment env = environment();
        encodedCameras(env).map(failure).returns(VideoTypes.ENCODED_FRAME).name("fail once")
                .sinkTo(sink).uid("committed-sink");
        JobClient job = env.executeAsync("cameras with a failure");
        job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertTrue(failure.failed(), "the injected failure happened");
        checkCompleteWithOneRestart(sink, job.getJobID(), job.getJobID());
    }

    /**
     * Every channel: sequences 0..FRAMES-1 exactly once in commit order, decodable as one stream, and
     * exactly two IDRs (GOP 0 at the start, GOP 1 where the restored job's encoder started).
     */
    private static void checkCompleteWithOneRestart(CommittedSink<EncodedFrame> sink, JobID first, JobID second) {
        Map<String, List<EncodedFrame>> byChannel = Streams.byChannel(sink.committed());
        for (Camera c : CAMERAS) {
            List<EncodedFrame> stream = byChannel.get(c.id());
            assertEquals(LongStream.range(0, FRAMES).boxed().toList(), Streams.sequences(stream),
                    c.id() + ": every frame once, in order");
            Streams.checkDecodable(c.id(), stream);
            List<EncodedFrame> idrs = stream.stream().filter(EncodedFrame::keyframe).toList();
            assertEquals(2, idrs.size(), c.id() + ": IDRs " + idrs);
            EncodedFrame resume = idrs.get(1);
            assertEquals(1, resume.gopIndex(), c.id() + ": GOP index at the resume point");
            assertTrue(resume.sequence() > 0 && resume.sequence() < FRAMES - 1, c.id() + ": resumed at " + resume);
            if (!first.equals(second)) {
                assertEquals(resume, firstOfJob(sink, second, c.id()),
                        c.id() + ": the first access unit the second job committed is the resume IDR");
            }
        }
    }

    private static EncodedFrame firstOfJob(CommittedSink<EncodedFrame> sink, JobID job, String channel) {
        for (CommittedSink.Batch<EncodedFrame> b : sink.batches()) {
            if (b.job().equals(job.toString())) {
                for (EncodedFrame f : b.records()) {
                    if (f.channel().equals(channel)) {
                        return f;
                    }
                }
            }
        }
        throw new AssertionError("job " + job + " committed nothing of " + channel);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

}
