package io.vencflow.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.core.testing.Decoded;
import io.vencflow.operators.testing.ScriptedFrames;
import io.vencflow.operators.testing.ScriptedFrames.Camera;
import io.vencflow.operators.testing.Streams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The keyed encoder on a Flink MiniCluster with real encoders, checked by decoding with libavcodec. */
class VideoEncodingPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int FRAMES = 30;

    // TODO(ffmpeg backend): when the ffmpeg encoder is on main, mix codecs here as well as sizes:
    // 640x360 H.264 main (ffmpeg), 352x288 H.265 (ffmpeg), 176x144 H.264 high (ffmpeg). Until then
    // every channel is H.264 Constrained Baseline on jcodec, the only encoder backend there is.
    private static final List<Camera> CAMERAS = List.of(
            new Camera("cam-qvga", 320, 240), new Camera("cam-360p", 640, 360),
            new Camera("cam-cif", 352, 288), new Camera("cam-qcif", 176, 144));

    @Test
    void fourChannelsOfDifferentSizesComeOutInOrderOneAccessUnitPerFrameAndDecodeWithoutErrors() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        assertTrue(env.getConfig().getSerializerConfig().hasGenericTypesDisabled(), "generic types (Kryo) are off");

        ChannelConfigs.Builder configs = ChannelConfigs.builder();
        for (Camera c : CAMERAS) {
            configs.channel(c.id(), EncoderConfig.builder().size(c.width(), c.height()).gop(12)
                    .backend(Backend.JCODEC).build());
        }
        ScriptedFrames script = ScriptedFrames.roundRobin(CAMERAS, FRAMES);
        DataStream<Frame> frames = env.fromSource(script.source(), VideoEncoding.watermarks(Duration.ofMillis(100)),
                        "cameras").setParallelism(1);
        List<EncodedFrame> out = VideoEncoding.encode(frames, configs.build()).executeAndCollect(4 * FRAMES + 1)
                .stream().toList();

        Map<String, List<EncodedFrame>> byChannel = Streams.byChannel(out);
        assertEquals(CAMERAS.size(), byChannel.size(), "channels out");
        for (Camera c : CAMERAS) {
            List<EncodedFrame> stream = byChannel.get(c.id());
            assertEquals(LongStream.range(0, FRAMES).boxed().toList(), Streams.sequences(stream), c.id());
            for (EncodedFrame f : stream) {
                assertEquals(Codec.H264, f.codec());
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
    void aFrameStreamNotTypedAsVideoTypesFrameIsRefusedBeforeItCanUseKryo() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Frame> untyped = env.fromSource(ScriptedFrames.roundRobin(CAMERAS, 1).source(),
                WatermarkStrategy.noWatermarks(), "cameras").map(f -> f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VideoEncoding.encode(untyped, ChannelConfigs.of(EncoderConfig.builder().build())));
        assertTrue(e.getMessage().contains("expected VideoTypes.FRAME"), e.getMessage());
    }
}
