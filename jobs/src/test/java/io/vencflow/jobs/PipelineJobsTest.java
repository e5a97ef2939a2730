package io.vencflow.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.kafka.EmbeddedKafka;
import io.vencflow.connectors.testing.FfmpegRtspClient;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import io.vencflow.jobs.internal.NalTopicReader;
import io.vencflow.jobs.testing.CommandRun;
import io.vencflow.jobs.testing.NalTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jobs as commands, end to end on an in-JVM broker and local MiniClusters. */
class PipelineJobsTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static int run(String... args) {
        CommandRun r = new CommandRun();
        int code = r.run(args);
        assertEquals(0, code, String.join(" ", args) + "\n" + r.out() + r.err());
        return code;
    }

    @Test
    void ingestThenEncodeStreamGivesEveryFrameOnceEachChannelAtItsOwnSizeAndConfiguredCodec(@TempDir Path dir)
            throws Exception {
        String frames = "frames-a";
        String nal = "nal-a";
        // Two cameras and a clip of another size and format into one frame topic.
        run("ingest", "--channels", "2", "--size", "320x240", "--frames", "45", "--unpaced", "--bootstrap-servers",
                kafka.bootstrapServers(), "--topic", frames);
        TestData.RawClip foreman = TestData.RAW_CLIPS.get(3);
        run("ingest", "--source", "file", "--input", foreman.path().toString(), "--size", "176x144", "--channels", "1",
                "--unpaced", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", frames);
        Path config = dir.resolve("channels.yaml");
        Files.writeString(config, "defaults:\n  gop: 15\nchannels:\n  cam1:\n    codec: h265\n    preset: ultrafast\n");

        run("encode-stream", "--bootstrap-servers", kafka.bootstrapServers(), "--input-topic", frames, "--output-topic",
                nal, "--bounded", "--config", config.toString(), "--checkpoint-interval", "500ms");

        List<EncodedFrame> units = new ArrayList<>();
        NalTopicReader.read(kafka.bootstrapServers(), nal, true, units::add);
        Map<String, List<EncodedFrame>> byChannel = NalTopic.byChannel(units);
        assertEquals(List.of("cam0", "cam1", "foreman_qcif_176x144_10f"), List.copyOf(byChannel.keySet()));
        assertEquals(45, NalTopic.assertCompleteAndDecodable("cam0", byChannel.get("cam0")));
        assertEquals(45, NalTopic.assertCompleteAndDecodable("cam1", byChannel.get("cam1")));
        assertEquals(10, NalTopic.assertCompleteAndDecodable("foreman", byChannel.get("foreman_qcif_176x144_10f")));
        assertEquals(Codec.H264, byChannel.get("cam0").get(0).codec());
        assertEquals(Codec.H265, byChannel.get("cam1").get(0).codec());
        EncodedFrame clip = byChannel.get("foreman_qcif_176x144_10f").get(0);
        assertEquals(176, clip.width());
        assertEquals(144, clip.height());
        // gop 15 from the file's defaults: keyframes at 0, 15, 30.
        assertEquals(List.of(0L, 15L, 30L), byChannel.get("cam0").stream().filter(EncodedFrame::keyframe)
                .map(EncodedFrame::sequence).toList());

        // analyze reads the same topic and finds the same figures.
        Path report = dir.resolve("report");
        CommandRun analyze = new CommandRun();
        assertEquals(0, analyze.run("analyze", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", nal, "--out",
                report.toString()), analyze.err());
        assertTrue(analyze.out().contains("cam0             h264  320x240        45      45      0"), analyze.out());
        assertTrue(analyze.out().contains("cam1             h265  320x240        45      45      0"), analyze.out());
        assertTrue(Files.size(report.resolve("cam1-keyframes.png")) > 1000);
    }

    @Test
    void recordWritesSegmentsThatHoldEveryFrameOnce(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("archive");
        run("record", "--channels", "2", "--size", "176x144", "--frames", "90", "--unpaced", "--out", out.toString(),
                "--segment-seconds", "1", "--checkpoint-interval", "500ms", "--gop", "30");
        for (String ch : List.of("cam0", "cam1")) {
            List<Path> segments;
            try (Stream<Path> s = Files.list(out.resolve(ch))) {
                segments = s.filter(p -> p.toString().endsWith(".h264")).sorted().toList();
            }
            assertEquals(3, segments.size(), ch + ": " + segments);
            long frames = 0;
            for (Path seg : segments) {
                Decoded d = Decoded.ofAnnexB(Codec.H264, Files.readAllBytes(seg));
                assertEquals(0, d.errors(), seg.toString());
                frames += d.frames().size();
            }
            assertEquals(90, frames, ch);
        }
    }

    @Test
    void serveGivesRtspPlayersTheEncodedCameras() throws Exception {
        CommandRun serve = new CommandRun().start("serve", "--channels", "2", "--size", "320x240", "--seconds", "12",
                "--port", "0");
        Matcher url = serve.await("RTSP: (rtsp://127\\.0\\.0\\.1:\\d+/cam1)", Duration.ofSeconds(60));
        FfmpegRtspClient.init();
        try (FfmpegRtspClient player = FfmpegRtspClient.open(url.group(1), FfmpegRtspClient.Transport.UDP,
                Duration.ofSeconds(20))) {
            FfmpegRtspClient.Playback played = player.play(45, Duration.ofSeconds(30));
            assertEquals(0, played.errors());
            assertTrue(played.startedAtIdr());
        }
        assertEquals(0, serve.exitCode(Duration.ofMinutes(1)), serve.out() + serve.err());
    }
}
