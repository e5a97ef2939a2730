package io.vencflow.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.core.testing.Decoded;
import io.vencflow.operators.testing.CollectingSink;
import io.vencflow.operators.testing.ScriptedFrames;
import io.vencflow.operators.testing.ScriptedFrames.Camera;
import io.vencflow.operators.testing.Streams;
import io.vencflow.operators.testing.SubtaskFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The keyed encoder on a Flink MiniCluster with real encoders, checked by decoding with libavcodec. */
class VideoEncodingPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int FRAMES = 30;

    /** A camera and how its channel is encoded: four sizes, both codecs, three profiles, both backends. */
    private record Channel(Camera camera, Codec codec, Profile profile, Backend backend) {
        EncoderConfig config() {
            return EncoderConfig.builder().size(camera.width(), camera.height()).codec(codec).profile(profile)
                    .backend(backend).gop(12).threads(1).build();
        }
    }

    private static final List<Channel> CHANNELS = List.of(
            new Channel(new Camera("cam-qvga", 320, 240), Codec.H264, Profile.BASELINE, Backend.JCODEC),
            new Channel(new Camera("cam-360p", 640, 360), Codec.H264, Profile.MAIN, Backend.FFMPEG),
            new Channel(new Camera("cam-cif", 352, 288), Codec.H265, Profile.MAIN, Backend.FFMPEG),
            new Channel(new Camera("cam-qcif", 176, 144), Codec.H264, Profile.HIGH, Backend.FFMPEG));
    private static final List<Camera> CAMERAS = CHANNELS.stream().map(Channel::camera).toList();

    @Test
    void fourChannelsOfDifferentSizesAndCodecsComeOutInOrderOneAccessUnitPerFrameAndDecodeWithoutErrors() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        assertTrue(env.getConfig().getSerializerConfig().hasGenericTypesDisabled(), "generic types (Kryo) are off");

        ChannelConfigs.Builder configs = ChannelConfigs.builder();
        for (Channel ch : CHANNELS) {
            configs.channel(ch.camera().id(), ch.config());
        }
        ScriptedFrames script = ScriptedFrames.roundRobin(CAMERAS, FRAMES);
        DataStream<Frame> frames = env.fromSource(script.source(), VideoEncoding.watermarks(Duration.ofMillis(100)),
                        "cameras").setParallelism(1);
        List<EncodedFrame> out = VideoEncoding.encode(frames, configs.build()).executeAndCollect(4 * FRAMES + 1)
                .stream().toList();

        Map<String, List<EncodedFrame>> byChannel = Streams.byChannel(out);
        assertEquals(CAMERAS.size(), byChannel.size(), "channels out");
        for (Channel ch : CHANNELS) {
            Camera c = ch.camera();
            List<EncodedFrame> stream = byChannel.get(c.id());
            assertEquals(LongStream.range(0, FRAMES).boxed().toList(), Streams.sequences(stream), c.id());
            SequenceParameterSet sps = SequenceParameterSet.parse(ch.codec(), spsOf(stream.get(0)));
            assertEquals(c.width() + "x" + c.height(), sps.width() + "x" + sps.height(), c.id() + ": SPS size");
            assertEquals(ch.profile(), profileOf(ch.codec(), sps), c.id() + ": SPS profile");
            for (EncodedFrame f : stream) {
                assertEquals(ch.codec(), f.codec());
                assertEquals(c.width() + "x" + c.height(), f.width() + "x" + f.height());
                assertEquals(f.sequence() % 12 == 0, f.keyframe(), c.id() + " keyframe at " + f.sequence());
            }
            assertEquals(2, stream.get(FRAMES - 1).gopIndex(), c.id() + ": GOP index of the last frame");
            Decoded decoded = Streams.checkDecodable(c.id(), stream);
            PlaneStats psnr = decoded.against(ScriptedFrames.render(c, Streams.sequences(stream)));
            assertTrue(psnr.psnr(0) > 30 && psnr.psnr(1) > 28 && psnr.psnr(2) > 28, c.id() + ": " + psnr);
        }
    }

    @Test
    void aSourcePartitionedByChannelIsEncodedInOneChainedTaskWithoutAnExchange() throws Exception {
        StreamExecutionEnvironment env = partitionedEnvironment();
        List<List<Camera>> owned = camerasByOwner(false);
        List<EncodedFrame> out = new ArrayList<>();
        CollectingSink<EncodedFrame> sink = new CollectingSink<>();
        VideoEncoding.encodePartitioned(partitionedSource(env, owned), ChannelConfigs.of(SMALL), EncodingOptions.defaults())
                .sinkTo(sink);
        StreamGraph graph = env.getStreamGraph();
        assertEquals(1, graph.getJobGraph().getNumberOfVertices(), "source, check, encoder and sink chained in one task");
        env.executeAsync(graph).getJobExecutionResult().get();
        out.addAll(sink.records());

        Map<String, List<EncodedFrame>> byChannel = Streams.byChannel(out);
        assertEquals(4, byChannel.size());
        for (List<EncodedFrame> stream : byChannel.values()) {
            assertEquals(LongStream.range(0, FRAMES).boxed().toList(), Streams.sequences(stream));
            Streams.checkDecodable(stream.get(0).channel(), stream);
        }
    }

    @Test
    void aFrameAtAnotherSubtaskThanItsChannelsFailsThePartitionedJobNamingBoth() throws Exception {
        StreamExecutionEnvironment env = partitionedEnvironment();
        VideoEncoding.encodePartitioned(partitionedSource(env, camerasByOwner(true)), ChannelConfigs.of(SMALL),
                EncodingOptions.defaults()).sinkTo(new CollectingSink<>());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> env.executeAsync().getJobExecutionResult().get());
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("arrived at subtask") && cause.getMessage().contains("belongs to subtask"),
                cause.getMessage());
    }

    private static final EncoderConfig SMALL = EncoderConfig.builder().size(176, 144).gop(12).backend(Backend.FFMPEG)
            .threads(1).build();

    private static StreamExecutionEnvironment partitionedEnvironment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.setMaxParallelism(128);
        return env;
    }

    /** Four 176x144 cameras, two owned by each of two subtasks; {@code swapped} lists them under the other one. */
    private static List<List<Camera>> camerasByOwner(boolean swapped) {
        List<List<Camera>> owned = List.of(new ArrayList<>(), new ArrayList<>());
        for (int n = 0; owned.get(0).size() < 2 || owned.get(1).size() < 2; n++) {
            String id = "pcam-" + n;
            int owner = VideoEncoding.subtaskOf(id, 128, 2);
            if (owned.get(owner).size() < 2) {
                owned.get(owner).add(new Camera(id, 176, 144));
            }
        }
        return swapped ? List.of(owned.get(1), owned.get(0)) : owned;
    }

    private static DataStream<Frame> partitionedSource(StreamExecutionEnvironment env, List<List<Camera>> owned) {
        return env.fromSource(new DataGeneratorSource<>(new SubtaskFrames(owned), 4L * FRAMES, VideoTypes.FRAME),
                VideoEncoding.watermarks(Duration.ofMillis(100)), "partitioned cameras");
    }

    private static byte[] spsOf(EncodedFrame idr) {
        int spsType = idr.codec() == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS;
        return idr.packs().stream().filter(p -> p.nalType() == spsType).findFirst()
                .orElseThrow(() -> new AssertionError("no SPS in " + idr)).toByteArray();
    }

    private static Profile profileOf(Codec codec, SequenceParameterSet sps) {
        return switch (sps.profileIdc()) {
            case 66 -> Profile.BASELINE;
            case 77 -> Profile.MAIN;
            case 100 -> Profile.HIGH;
            case 1 -> codec == Codec.H265 ? Profile.MAIN : null;
            default -> null;
        };
    }

    @Test
    void aFrameStreamNotTypedAsVideoTypesFrameIsRefusedBeforeItCanUseKryo() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Frame> untyped = env.fromSource(ScriptedFrames.roundRobin(CAMERAS, 1).source(),
                WatermarkStrategy.noWatermarks(), "cameras").map(f -> f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VideoEncoding.encode(untyped, ChannelConfigs.of(EncoderConfig.builder().build())));
        assertTrue(e.getMessage().contains("expected VideoTypes.FRAME"), e.getMessage());
    }
}
