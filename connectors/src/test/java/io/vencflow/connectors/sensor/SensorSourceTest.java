package io.vencflow.connectors.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.testing.Checks;
import io.vencflow.connectors.testing.CollectingSink;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.operators.VideoEncoding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SensorSourceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    @Test
    void eachCameraIsASplitSoParallelismSpreadsThemOverSubtasksAndEachRendersItsOwnScene() throws Exception {
        SensorSource source = SensorSource.builder().cameras(4).size(176, 144).format(PixelFormat.NV12)
                .camera("esp32", 160, 120, PixelFormat.RGB565, 15).paced(false).framesPerCamera(10)
                .clockStartMicros(1_000_000).build();
        assertEquals(List.of("cam0", "cam1", "cam2", "cam3", "esp32"), source.channels());
        assertEquals(Boundedness.BOUNDED, source.getBoundedness());

        CollectingSink<Frame> frames = new CollectingSink<>();
        CollectingSink<String> placement = new CollectingSink<>();
        StreamExecutionEnvironment env = environment();
        var stream = env.fromSource(source, VideoEncoding.watermarks(Duration.ZERO), "cameras");
        stream.sinkTo(frames);
        stream.map(new RichMapFunction<Frame, String>() {
            @Override
            public String map(Frame f) {
                return f.channel() + "@" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            }
        }).returns(Types.STRING).sinkTo(placement);
        env.execute("cameras");

        Map<String, Set<String>> subtasks = placement.records().stream().collect(Collectors.groupingBy(
                s -> s.substring(0, s.indexOf('@')), TreeMap::new, Collectors.mapping(s -> s.substring(s.indexOf('@') + 1),
                        Collectors.toSet())));
        assertEquals(Map.of("cam0", Set.of("0"), "cam1", Set.of("1"), "cam2", Set.of("0"), "cam3", Set.of("1"),
                "esp32", Set.of("0")), subtasks, "camera i runs in subtask i % 2");

        Map<String, List<Frame>> byChannel = byChannel(frames.records());
        for (String channel : source.channels()) {
            List<Frame> list = byChannel.get(channel);
            Checks.assertEveryFrameOnce(channel, list.stream().map(Frame::sequence).toList(), 10);
            boolean esp = channel.equals("esp32");
            SyntheticScene scene = new SyntheticScene(channel, esp ? 160 : 176, esp ? 120 : 144,
                    esp ? PixelFormat.RGB565 : PixelFormat.NV12);
            for (Frame f : list) {
                assertEquals(esp ? PixelFormat.RGB565 : PixelFormat.NV12, f.format());
                assertEquals(scene.render(f.sequence(), 0).pixels(), f.pixels(), channel + " #" + f.sequence());
                assertEquals(1_000_000 + f.sequence() * 1_000_000L / (esp ? 15 : 30), f.ptsMicros(),
                        "unpaced capture clock of " + f);
            }
        }
        assertNotEquals(byChannel.get("cam0").get(3).pixels(), byChannel.get("cam1").get(3).pixels(),
                "two cameras show different scenes");
        assertNotEquals(byChannel.get("cam0").get(3).pixels(), byChannel.get("cam0").get(4).pixels(),
                "a camera's scene moves");
    }

    @Test
    void pacedCamerasDeliverInRealTimeStampedWithTheWallClock() throws Exception {
        SensorSource source = SensorSource.builder().cameras(2).size(160, 120).fps(20).seconds(1.5).build();
        CollectingSink<Frame> frames = new CollectingSink<>();
        StreamExecutionEnvironment env = environment();
        env.fromSource(source, VideoEncoding.watermarks(Duration.ZERO), "cameras").sinkTo(frames);
        long startMicros = System.currentTimeMillis() * 1000;
        env.execute("paced cameras");
        long endMicros = System.currentTimeMillis() * 1000;

        for (List<Frame> list : byChannel(frames.records()).values()) {
            assertEquals(30, list.size(), "1.5 s at 20 fps");
            long spanMicros = list.get(29).ptsMicros() - list.get(0).ptsMicros();
            assertTrue(spanMicros > 1_300_000 && spanMicros < 2_500_000, "29 frame periods of 50 ms took "
                    + spanMicros + " us");
            assertTrue(list.get(0).ptsMicros() >= startMicros && list.get(29).ptsMicros() <= endMicros,
                    "capture times lie within the run");
            for (int i = 1; i < list.size(); i++) {
                assertTrue(list.get(i).ptsMicros() > list.get(i - 1).ptsMicros(), "capture times increase");
            }
        }
    }

    @Test
    void stopWithSavepointAndResumeContinuesEveryCameraWithoutRestartGapOrRepeat(
            @InjectClusterClient ClusterClient<?> client, @TempDir Path savepoints) throws Exception {
        CollectingSink<Frame> frames = new CollectingSink<>();
        int perCamera = 60;

        StreamExecutionEnvironment env1 = environment();
        env1.fromSource(camerasAt30Fps(perCamera), VideoEncoding.watermarks(Duration.ZERO), "cameras").uid("cameras")
                .sinkTo(frames);
        JobClient first = env1.executeAsync("cameras, first run");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (frames.size() < 4 * 20) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting for frames");
            Thread.sleep(20);
        }
        String savepoint = client.stopWithSavepoint(first.getJobID(), false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(JobStatus.FINISHED, first.getJobStatus().get());
        Map<String, List<Frame>> beforeStop = byChannel(frames.records());
        int firstRun = frames.size();
        assertTrue(firstRun < 4 * perCamera, "stopped halfway: " + firstRun);

        StreamExecutionEnvironment env2 = environment();
        env2.fromSource(camerasAt30Fps(perCamera), VideoEncoding.watermarks(Duration.ZERO), "cameras").uid("cameras")
                .sinkTo(frames);
        StreamGraph graph = env2.getStreamGraph();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        env2.executeAsync(graph).getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        Map<String, List<Frame>> all = byChannel(frames.records());
        for (String channel : List.of("cam0", "cam1", "cam2", "cam3")) {
            Checks.assertEveryFrameOnce(channel, all.get(channel).stream().map(Frame::sequence).toList(), perCamera);
            int stoppedAt = beforeStop.getOrDefault(channel, List.of()).size();
            assertTrue(stoppedAt > 0 && stoppedAt < perCamera, channel + " was stopped at " + stoppedAt);
        }
    }

    private static SensorSource camerasAt30Fps(int frames) {
        return SensorSource.builder().cameras(4).size(160, 120).fps(30).framesPerCamera(frames).build();
    }

    @Test
    void theBuilderNamesTheWrongSetting() {
        assertEquals("no cameras: add some with cameras(n) or camera(id, ...)",
                assertThrows(IllegalArgumentException.class, () -> SensorSource.builder().build()).getMessage());
        assertEquals("camera cam0 is added twice; channel ids must be unique", assertThrows(IllegalArgumentException.class,
                () -> SensorSource.builder().cameras(1).camera("cam0").build()).getMessage());
        assertEquals("camera x: width 161 is odd; I420 (4:2:0) needs even dimensions (the scene is rendered in 4:2:0"
                + " before conversion)", assertThrows(IllegalArgumentException.class,
                () -> SensorSource.builder().camera("x", 161, 120, PixelFormat.RGB565, 30).build()).getMessage());
        assertEquals("camera cam0: fps 0 is out of range; expected 1..240", assertThrows(IllegalArgumentException.class,
                () -> SensorSource.builder().cameras(1).fps(0).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SensorSource.builder().cameras(1).framesPerCamera(5).seconds(2).build()).getMessage()
                .endsWith("choose one bound"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SensorSource.builder().camera("../x").build())
                .getMessage().contains("'../x' is not 1-64 of [A-Za-z0-9._-]"));
        assertEquals(Boundedness.CONTINUOUS_UNBOUNDED, SensorSource.builder().cameras(1).build().getBoundedness());
        String bounded = SensorSource.builder().cameras(1).fps(15).seconds(3).build().toString();
        assertTrue(bounded.contains("45 frames each"), "3 s at 15 fps: " + bounded);
    }

    private static Map<String, List<Frame>> byChannel(List<Frame> frames) {
        Map<String, List<Frame>> out = new TreeMap<>();
        for (Frame f : frames) {
            out.computeIfAbsent(f.channel(), k -> new ArrayList<>()).add(f);
        }
        out.values().forEach(l -> l.sort((a, b) -> Long.compare(a.sequence(), b.sequence())));
        return out;
    }
}
