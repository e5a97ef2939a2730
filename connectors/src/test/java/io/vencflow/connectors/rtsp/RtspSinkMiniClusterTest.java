package io.vencflow.connectors.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.rtsp.internal.RtpClock;
import io.vencflow.connectors.testing.FfmpegRtspClient;
import io.vencflow.connectors.testing.FfmpegRtspClient.Playback;
import io.vencflow.connectors.testing.FfmpegRtspClient.Transport;
import io.vencflow.connectors.testing.ReferenceFrames;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RTSP sinks in a real Flink job on a MiniCluster (one TaskManager, two slots): two channels, each
 * written by its own subtask, are played by FFmpeg from the TaskManager's shared server, or from a
 * relay the push sink publishes to.
 *
 * <p>Until the operators module gives EncodedFrame its Flink type, the stream carries sequence
 * numbers (a type Flink serializes natively) and the access units are made in the sink's writer path,
 * right in front of the RTSP sink's own writer.
 */
class RtspSinkMiniClusterTest {
    private static final int PARALLELISM = 2;
    private static final int FPS = 30;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(PARALLELISM).build());

    static final ConcurrentLinkedQueue<String> KEYFRAME_REQUESTS = new ConcurrentLinkedQueue<>();
    static final Map<String, Integer> SUBTASK_OF_CHANNEL = new ConcurrentHashMap<>();
    private static volatile List<EncodedFrame> loop;

    /** The sink's keyframe requester: a static method, so that the copy Flink deserializes reaches this JVM's list. */
    static void keyframeRequested(String channel) {
        KEYFRAME_REQUESTS.add(channel);
    }

    static List<EncodedFrame> loop() {
        if (loop == null) {
            loop = Decoded.accessUnits(Codec.H264, TestData.readAll(TestData.bitstream("h264/cars_320x240.h264")), "cam");
        }
        return loop;
    }

    /** Two channel ids that Flink's key groups send to subtask 0 and subtask 1. */
    static String[] channels() {
        String[] out = new String[PARALLELISM];
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(PARALLELISM);
        for (int i = 0; out[0] == null || out[1] == null; i++) {
            String c = "cam-" + i;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(c, maxParallelism, PARALLELISM);
            if (out[subtask] == null) {
                out[subtask] = c;
            }
        }
        return out;
    }

    /** Lets sequence numbers through at a steady rate: {@code fps} frames per second per channel. */
    static final class Pacer implements MapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;
        private final long periodNanos;
        private transient long next;

        Pacer(int recordsPerSecond) {
            this.periodNanos = 1_000_000_000L / recordsPerSecond;
        }

        @Override
        public Long map(Long seq) throws InterruptedException {
            if (next == 0) {
                next = System.nanoTime();
            }
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            return seq;
        }
    }

    /**
     * Turns sequence number {@code s} into access unit {@code s / 2} of channel {@code s % 2}, stamped
     * with the wall clock, and hands it to the RTSP sink's writer.
     */
    static final class FramesFromSequence implements Sink<Long> {
        private static final long serialVersionUID = 1L;
        private final Sink<EncodedFrame> rtsp;
        private final String[] channels;

        FramesFromSequence(Sink<EncodedFrame> rtsp, String[] channels) {
            this.rtsp = rtsp;
            this.channels = channels;
        }

        @Override
        @SuppressWarnings("try") // SinkWriter.close() throws Exception, as Flink declares it
        public SinkWriter<Long> createWriter(WriterInitContext context) throws IOException {
            SinkWriter<EncodedFrame> inner = rtsp.createWriter(context);
            int subtask = context.getTaskInfo().getIndexOfThisSubtask();
            List<EncodedFrame> aus = loop();
            return new SinkWriter<>() {
                @Override
                public void write(Long seq, Context c) throws IOException, InterruptedException {
                    String channel = channels[(int) (seq % channels.length)];
                    long n = seq / channels.length;
                    EncodedFrame src = aus.get((int) (n % aus.size()));
                    SUBTASK_OF_CHANNEL.put(channel, subtask);
                    inner.write(new EncodedFrame(channel, n, RtpClock.nowMicros(), src.codec(), src.width(), src.height(),
                            src.keyframe(), n / aus.size(), src.gopPosition(), src.packs()), c);
                }

                @Override
                public void flush(boolean endOfInput) throws IOException, InterruptedException {
                    inner.flush(endOfInput);
                }

                @Override
                public void close() throws Exception {
                    inner.close();
                }
            };
        }
    }

    private static JobClient run(Sink<EncodedFrame> sink, String[] channels) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.fromSequence(0, 60L * FPS * channels.length).setParallelism(1)
                .map(new Pacer(FPS * channels.length)).setParallelism(1)
                .keyBy(seq -> channels[(int) (seq % channels.length)])
                .sinkTo(new FramesFromSequence(sink, channels));
        return env.executeAsync("rtsp-sink-test");
    }

    private static CompletableFuture<Playback> player(String url) {
        return CompletableFuture.supplyAsync(() -> {
            try (FfmpegRtspClient c = FfmpegRtspClient.open(url, Transport.TCP, Duration.ofSeconds(15))) {
                return c.play(100, Duration.ofSeconds(20));
            }
        });
    }

    private static void await(BooleanSupplier condition, long ms, String what) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + ms + " ms");
            }
            Thread.sleep(20);
        }
    }

    private static void assertBitExact(Playback p, List<Frame> reference) {
        assertTrue(p.startedAtIdr());
        assertEquals(0, p.errors());
        assertEquals(100, p.frames().size());
        PlaneStats stats = ReferenceFrames.compare(p.frames(), reference);
        for (int plane = 0; plane < 3; plane++) {
            assertEquals(99.0, stats.psnr(plane), stats.toString());
        }
    }

    @Test
    void eachChannelOfAJobIsServedFromTheTaskManagersServerWhicheverSubtaskWritesIt() throws Exception {
        String[] channels = channels();
        List<Frame> reference = Decoded.of(loop()).frames();
        RtspServerConfig config = RtspServerConfig.builder().port(0).build();
        RtspSink sink = RtspSink.builder().server(config)
                .keyframeRequester(RtspSinkMiniClusterTest::keyframeRequested).build();
        JobClient job = run(sink, channels);
        try {
            await(() -> RtspSink.localPort(config).isPresent(), 30_000, "the first sink writer's server");
            int port = RtspSink.localPort(config).getAsInt();
            CompletableFuture<Playback> first = player("rtsp://127.0.0.1:" + port + "/" + channels[0]);
            CompletableFuture<Playback> second = player("rtsp://127.0.0.1:" + port + "/" + channels[1]);
            assertBitExact(first.get(40, TimeUnit.SECONDS), reference);
            assertBitExact(second.get(40, TimeUnit.SECONDS), reference);
            assertEquals(0, (int) SUBTASK_OF_CHANNEL.get(channels[0]));
            assertEquals(1, (int) SUBTASK_OF_CHANNEL.get(channels[1]), "the two channels came from two subtasks");
            assertTrue(KEYFRAME_REQUESTS.contains(channels[0]) && KEYFRAME_REQUESTS.contains(channels[1]),
                    "each joining player asked its channel's encoder for an IDR: " + KEYFRAME_REQUESTS);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        await(() -> RtspSink.localPort(config).isEmpty(), 30_000, "the server's close with the last writer");
    }

    @Test
    void thePushSinkPublishesEachChannelToOneRelayThatPlayersPullFrom() throws Exception {
        String[] channels = channels();
        List<Frame> reference = Decoded.of(loop()).frames();
        try (RtspServer relay = RtspServer.builder()
                .config(RtspServerConfig.builder().port(0).acceptPublishers(true).build()).build().start()) {
            RtspPushSink sink = RtspPushSink.builder().url("rtsp://127.0.0.1:" + relay.port() + "/")
                    .reconnectBackoffMs(100, 1000).build();
            JobClient job = run(sink, channels);
            try {
                await(() -> relay.hasPublisher(channels[0]) && relay.hasPublisher(channels[1]), 30_000,
                        "both channels' RECORD at the relay");
                CompletableFuture<Playback> first = player(relay.url(channels[0]));
                CompletableFuture<Playback> second = player(relay.url(channels[1]));
                assertBitExact(first.get(40, TimeUnit.SECONDS), reference);
                assertBitExact(second.get(40, TimeUnit.SECONDS), reference);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
