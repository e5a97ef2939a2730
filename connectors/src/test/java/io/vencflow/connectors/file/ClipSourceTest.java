package io.vencflow.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.testing.Checks;
import io.vencflow.connectors.testing.CollectingSink;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.testing.TestData;
import io.vencflow.core.testing.TestData.RawClip;
import io.vencflow.operators.VideoEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
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

/** Real clips of the shared test data replayed as channels. */
class ClipSourceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final RawClip CARS = TestData.RAW_CLIPS.get(0);
    private static final RawClip FOREMAN = TestData.RAW_CLIPS.get(3);

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static List<Frame> run(ClipSource source) throws Exception {
        CollectingSink<Frame> frames = new CollectingSink<>();
        StreamExecutionEnvironment env = environment();
        env.fromSource(source, VideoEncoding.watermarks(Duration.ZERO), "clips").sinkTo(frames);
        env.execute("clips");
        return frames.records();
    }

    @Test
    void aRawClipLoopsAsTwoChannelsWithSequencesCountingOnAndTheFilesPixels() throws Exception {
        ClipSource source = ClipSource.builder().raw(CARS.path(), 320, 240, PixelFormat.I420, "road-a", "road-b")
                .loop(true).framesPerChannel(75).paced(false).clockStartMicros(5_000_000).build();
        assertEquals(Boundedness.BOUNDED, source.getBoundedness());
        List<Frame> clip = CARS.read("x");
        Map<String, List<Frame>> byChannel = byChannel(run(source));
        assertEquals(List.of("road-a", "road-b"), List.copyOf(byChannel.keySet()));
        for (Map.Entry<String, List<Frame>> e : byChannel.entrySet()) {
            List<Frame> frames = e.getValue();
            Checks.assertEveryFrameOnce(e.getKey(), frames.stream().map(Frame::sequence).toList(), 75);
            for (Frame f : frames) {
                assertEquals(clip.get((int) (f.sequence() % 30)).pixels(), f.pixels(), e.getKey() + " #" + f.sequence()
                        + " is clip frame " + f.sequence() % 30);
                assertEquals(5_000_000 + f.sequence() * 1_000_000L / 30, f.ptsMicros());
            }
        }
    }

    @Test
    void aY4mClipWithoutLoopingEndsAfterItsFramesAtItsHeaderRate(@TempDir Path dir) throws Exception {
        Path y4m = writeY4m(dir.resolve("foreman.y4m"), FOREMAN, 15);
        ClipSource source = ClipSource.builder().y4m(y4m, "foreman").paced(false).clockStartMicros(0).build();
        assertEquals(Boundedness.BOUNDED, source.getBoundedness());
        List<Frame> frames = byChannel(run(source)).get("foreman");
        List<Frame> clip = FOREMAN.read("x");
        assertEquals(10, frames.size());
        for (Frame f : frames) {
            assertEquals(clip.get((int) f.sequence()).pixels(), f.pixels());
            assertEquals(f.sequence() * 1_000_000L / 15, f.ptsMicros(), "15 fps from the Y4M header");
        }
        assertEquals(Boundedness.CONTINUOUS_UNBOUNDED, ClipSource.builder().y4m(y4m, "c").loop(true).build()
                .getBoundedness());
    }

    @Test
    void pacedReplayTakesTheClipsDuration(@TempDir Path dir) throws Exception {
        Path y4m = writeY4m(dir.resolve("foreman.y4m"), FOREMAN, 20);
        long start = System.nanoTime();
        List<Frame> frames = run(ClipSource.builder().y4m(y4m, "foreman").loop(true).framesPerChannel(20).build());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(20, frames.size());
        long spanMicros = frames.get(19).ptsMicros() - frames.get(0).ptsMicros();
        assertTrue(spanMicros > 800_000 && spanMicros < 2_000_000, "19 periods of 50 ms took " + spanMicros + " us");
        assertTrue(elapsedMs > 900, "the job took " + elapsedMs + " ms");
    }

    @Test
    void stopWithSavepointMidLoopAndResumeContinuesEveryChannelWhereItWas(
            @InjectClusterClient ClusterClient<?> client, @TempDir Path savepoints) throws Exception {
        CollectingSink<Frame> sink = new CollectingSink<>();
        int perChannel = 40;
        StreamExecutionEnvironment env1 = environment();
        env1.fromSource(foremanAt30(perChannel), VideoEncoding.watermarks(Duration.ZERO), "clips").uid("clips")
                .sinkTo(sink);
        JobClient first = env1.executeAsync("clips, first run");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sink.size() < 2 * 15) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting for frames");
            Thread.sleep(20);
        }
        String savepoint = client.stopWithSavepoint(first.getJobID(), false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        assertEquals(JobStatus.FINISHED, first.getJobStatus().get());
        assertTrue(sink.size() < 2 * perChannel, "stopped halfway: " + sink.size());

        StreamExecutionEnvironment env2 = environment();
        env2.fromSource(foremanAt30(perChannel), VideoEncoding.watermarks(Duration.ZERO), "clips").uid("clips")
                .sinkTo(sink);
        StreamGraph graph = env2.getStreamGraph();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        env2.executeAsync(graph).getJobExecutionResult().get(60, TimeUnit.SECONDS);

        List<Frame> clip = FOREMAN.read("x");
        for (Map.Entry<String, List<Frame>> e : byChannel(sink.records()).entrySet()) {
            Checks.assertEveryFrameOnce(e.getKey(), e.getValue().stream().map(Frame::sequence).toList(), perChannel);
            for (Frame f : e.getValue()) {
                assertEquals(clip.get((int) (f.sequence() % 10)).pixels(), f.pixels(), "loop position of " + f);
            }
        }
    }

    private static ClipSource foremanAt30(int frames) {
        return ClipSource.builder().raw(FOREMAN.path(), 176, 144, PixelFormat.I420, "f1", "f2").loop(true)
                .framesPerChannel(frames).build();
    }

    @Test
    void badClipsAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipSource.builder().raw(CARS.path(), 352, 288, PixelFormat.I420, "c").build());
        assertTrue(e.getMessage().contains("not a whole number of 352x288 i420 frames"), e.getMessage());
        Path missing = dir.resolve("none.y4m");
        e = assertThrows(IllegalArgumentException.class, () -> ClipSource.builder().y4m(missing, "c").build());
        assertEquals("clip " + missing + " does not exist or is not a file", e.getMessage());
        Path notY4m = Files.writeString(dir.resolve("x.y4m"), "hello\n");
        e = assertThrows(IllegalArgumentException.class, () -> ClipSource.builder().y4m(notY4m, "c").build());
        assertTrue(e.getMessage().contains("is not a Y4M file"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipSource.builder()
                .raw(CARS.path(), 320, 240, PixelFormat.I420, "c", "c").build());
        assertEquals("channel c is given twice; each channel replays one clip", e.getMessage());
    }

    /** Writes a raw clip as Y4M at {@code fps} (the test data holds raw clips only). */
    static Path writeY4m(Path out, RawClip clip, int fps) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("YUV4MPEG2 W" + clip.width() + " H" + clip.height() + " F" + fps + ":1 Ip A1:1 C420jpeg\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (Frame f : clip.read("x")) {
            b.writeBytes("FRAME\n".getBytes(StandardCharsets.US_ASCII));
            byte[] px = new byte[f.size()];
            f.copyPixels(0, px, 0, px.length);
            b.writeBytes(px);
        }
        return Files.write(out, b.toByteArray());
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
