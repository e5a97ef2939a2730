package io.vencflow.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.kafka.EmbeddedKafka;
import io.vencflow.connectors.testing.FfmpegRtspClient;
import io.vencflow.core.bitstream.AccessUnitAssembler;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.testing.Decoded;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job as a user meets it: while it runs, FFmpeg's RTSP client plays a channel; after it
 * stops, the NAL topic and the archive decode completely, and the closing analysis matches the
 * encoders' own counters.
 */
class DemoTest {

    @Test
    void theDemoServesRtspWhileRunningAndLeavesACompleteTopicAndArchive(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Path archive = dir.resolve("archive");
            Path report = dir.resolve("report");
            CommandRun demo = new CommandRun().start("demo", "--seconds", "8", "--size", "320x240", "--port", "0",
                    "--bootstrap-servers", kafka.bootstrapServers(), "--out", archive.toString(), "--report",
                    report.toString(), "--checkpoint-interval", "1s", "--segment-seconds", "2");

            Matcher url = demo.await("RTSP: (rtsp://127\\.0\\.0\\.1:\\d+/cam0)", Duration.ofSeconds(60));
            FfmpegRtspClient.init();
            FfmpegRtspClient.Playback played;
            try (FfmpegRtspClient player = FfmpegRtspClient.open(url.group(1), FfmpegRtspClient.Transport.TCP,
                    Duration.ofSeconds(20))) {
                played = player.play(60, Duration.ofSeconds(30));
            }
            assertEquals(0, played.errors(), "RTSP playback decode errors");
            assertTrue(played.startedAtIdr(), "the player starts at an IDR");
            assertEquals(60, played.frames().size());

            assertEquals(0, demo.exitCode(Duration.ofMinutes(2)), demo.out() + demo.err());

            // The NAL topic, as an outside consumer sees it (read_committed).
            List<EncodedFrame> units = new ArrayList<>();
            NalTopicReader.read(kafka.bootstrapServers(), "vencflow-nal", true, units::add);
            Map<String, List<EncodedFrame>> channels = NalTopic.byChannel(units);
            assertEquals(List.of("cam0", "cam1", "cam2", "cam3"), List.copyOf(channels.keySet()));
            for (Map.Entry<String, List<EncodedFrame>> e : channels.entrySet()) {
                int frames = NalTopic.assertCompleteAndDecodable(e.getKey(), e.getValue());
                assertTrue(frames >= 8 * 30, e.getKey() + " has " + frames + " frames; 8 s at 30 fps is 240");

                // The archive holds the same frames, each segment opening with an IDR and its parameter sets.
                List<Path> segments = segments(archive.resolve(e.getKey()));
                assertTrue(segments.size() >= 3, e.getKey() + ": " + segments);
                List<byte[]> stream = new ArrayList<>();
                for (Path segment : segments) {
                    byte[] bytes = Files.readAllBytes(segment);
                    List<List<byte[]>> aus = AccessUnitAssembler.split(Codec.H264, bytes);
                    assertEquals(NalUnit.H264_SPS, NalUnit.type(Codec.H264, aus.get(0).get(0)[0]), segment + " starts");
                    assertTrue(aus.get(0).stream().anyMatch(n -> NalUnit.type(Codec.H264, n[0]) == NalUnit.H264_IDR),
                            segment + " opens with an IDR");
                    stream.add(bytes);
                }
                Decoded archived = Decoded.ofAnnexB(Codec.H264, concat(stream));
                assertEquals(0, archived.errors(), e.getKey() + " archive decode errors");
                assertEquals(frames, archived.frames().size(), e.getKey() + ": archive frames = topic frames");
            }

            String out = demo.out();
            assertEquals(4, out.split(" matches", -1).length - 1, out);
            assertFalse(out.contains("DIFFERS"), out);
            for (String ch : channels.keySet()) {
                assertTrue(Files.size(report.resolve(ch + "-bitrate.png")) > 1000);
                assertTrue(Files.size(report.resolve(ch + "-keyframes.png")) > 1000);
            }
        }
    }

    private static List<Path> segments(Path channelDir) throws java.io.IOException {
        try (Stream<Path> s = Files.list(channelDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".h264")).sorted().toList();
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        int n = parts.stream().mapToInt(b -> b.length).sum();
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, off, b.length);
            off += b.length;
        }
        return out;
    }
}
