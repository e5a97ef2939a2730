package io.vencflow.jobs;

import io.vencflow.connectors.rtsp.RtspServerConfig;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.jobs.analyze.StreamReport;
import io.vencflow.jobs.cli.options.ArchiveOptions;
import io.vencflow.jobs.cli.options.EncoderOptions;
import io.vencflow.jobs.cli.options.KafkaOptions;
import io.vencflow.jobs.cli.options.RtspOptions;
import io.vencflow.jobs.cli.options.SourceOptions;
import io.vencflow.jobs.internal.EncoderSetup;
import io.vencflow.jobs.internal.FrameSources;
import io.vencflow.jobs.internal.JobCommand;
import io.vencflow.jobs.internal.KafkaEndpoint;
import io.vencflow.jobs.internal.NalTopicReader;
import io.vencflow.jobs.internal.RtspUrls;
import io.vencflow.jobs.internal.StatusBoard;
import io.vencflow.jobs.internal.VideoSinks;
import java.io.PrintWriter;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vencflow demo}: the whole dataflow on embedded defaults. Cameras -> Kafka frame topic ->
 * one encoder per channel -> Kafka NAL topic (exactly once), the rolling archive and the RTSP server,
 * at once; a live status line per channel; stops on Ctrl-C or after --seconds, draining so that the
 * archive and the topic end complete, then analyses the topic.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job on embedded defaults: an in-JVM Kafka broker and Flink MiniCluster, 4 cameras ->",
            "Kafka frames -> encoders -> Kafka NAL topic + archive + RTSP. Ctrl-C (or --seconds) stops it cleanly."})
public final class DemoJob extends JobCommand {
    @Mixin
    SourceOptions source;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ArchiveOptions archive;

    @Mixin
    RtspOptions rtsp;

    @Mixin
    EncoderOptions encoder;

    @Option(names = "--topic", defaultValue = KafkaOptions.FRAME_TOPIC,
            description = "frame topic (default: ${DEFAULT-VALUE})")
    String frameTopic;

    @Option(names = "--output-topic", defaultValue = KafkaOptions.NAL_TOPIC,
            description = "NAL topic (default: ${DEFAULT-VALUE})")
    String nalTopic;

    @Option(names = "--report", defaultValue = "vencflow-demo/report",
            description = "where the closing analysis of the NAL topic goes (default: ${DEFAULT-VALUE})")
    Path report;

    private KafkaEndpoint endpoint;
    private RtspServerConfig server;
    private StatusBoard status;
    private boolean tty;
    private int printedLines;
    private long ticks;
    private long endOfCapture;

    /** For completeness; on a cluster run ingest and encode-stream instead. */
    public static void main(String[] args) {
        JobCommand.main(new DemoJob(), args);
    }

    @Override
    protected String jobName() {
        return "demo";
    }

    @Override
    protected int channelCount() {
        return Math.max(1, source.channels);
    }

    @Override
    protected void checkOptions() {
        if (source.kind() != SourceOptions.Kind.SENSOR) {
            throw new IllegalArgumentException("the demo generates its cameras: --source sensor only");
        }
        if (source.frames != null) {
            throw new IllegalArgumentException("the demo runs for --seconds S (or until Ctrl-C), not --frames");
        }
        source.check();
        if (archive.out == null) {
            archive.out = Path.of("vencflow-demo", "archive");
        }
        server = VideoSinks.rtspServer(rtsp);
        tty = System.console() != null;
        // Live defaults this machine sustains for four cameras, unless told otherwise.
        if (!given("--preset")) {
            encoder.preset = io.vencflow.core.codec.Preset.ULTRAFAST;
        }
        if (!given("--bitrate")) {
            encoder.bitrateBps = (long) source.size.width() * source.size.height() * source.fpsOrDefault() / 6;
        }
    }

    @Override
    protected AutoCloseable openResources(boolean local, PrintWriter out) {
        if (!local) {
            throw new IllegalArgumentException("demo runs locally; on a cluster run ingest and encode-stream");
        }
        endpoint = KafkaEndpoint.open(kafka.bootstrapServers, true, out);
        endpoint.ensureTopic(frameTopic, channelCount());
        endpoint.ensureTopic(nalTopic, channelCount());
        status = new StatusBoard(endpoint.bootstrapServers(), nalTopic);
        return () -> {
            status.close();
            endpoint.close();
        };
    }

    @Override
    protected void define(StreamExecutionEnvironment env, boolean local) throws Exception {
        // The cameras run until stopped: --seconds ends the demo from outside, once every frame captured
        // in that time has gone through, so nothing captured is left behind in the frame topic.
        Double seconds = source.seconds;
        source.seconds = null;
        DataStream<Frame> cameras = FrameSources.open(env, source);
        source.seconds = seconds;
        VideoSinks.toFrameTopic(cameras, endpoint.bootstrapServers(), frameTopic, kafka.exactlyOnce(false), jobName());

        DataStream<Frame> frames = FrameSources.fromKafka(env, endpoint.bootstrapServers(), frameTopic,
                kafka.groupId("vencflow-demo"), false);
        DataStream<EncodedFrame> encoded = EncoderSetup.encode(frames, EncoderSetup.configs(encoder,
                encoderThreads(encoder.threads), runtime,
                source.size.width(), source.size.height(), source.fpsOrDefault(), source.pixelFormat, false));
        VideoSinks.toNalTopic(encoded, endpoint.bootstrapServers(), nalTopic, kafka.exactlyOnce(true), jobName());
        VideoSinks.toArchive(encoded, archive);
        VideoSinks.toRtsp(encoded, rtsp, server);
    }

    @Override
    protected void started(PrintWriter out) throws Exception {
        List<String> channels = FrameSources.channels(source);
        out.println("vencflow demo: " + channels.size() + " cameras " + source.size + " " + source.pixelFormat.id() + " at "
                + source.fpsOrDefault() + " fps, " + encoder.codec.id() + " on " + encoder.backend.id());
        out.println("Kafka: frames -> " + frameTopic + ", NAL -> " + nalTopic + " at " + endpoint.bootstrapServers());
        out.println("archive: " + archive.out.toAbsolutePath() + " (segments appear at each checkpoint)");
        if (!rtsp.disabled) {
            RtspUrls.print(out, server, channels);
        }
        out.println(source.seconds != null ? "running for " + source.seconds + " s; Ctrl-C stops it sooner"
                : "running; Ctrl-C stops it");
        out.flush();
    }

    @Override
    protected boolean tick(PrintWriter out) {
        ticks++;
        List<String> lines = status.lines();
        if (tty) {
            if (printedLines > 0) {
                out.print("\033[" + printedLines + "A");
            }
            for (String l : lines) {
                out.print("\033[2K" + l + "\n");
            }
            printedLines = lines.size();
        } else if (ticks % 5 == 0) {
            lines.forEach(out::println);
        }
        if (source.seconds == null) {
            return false;
        }
        long expected = Math.round(source.seconds * source.fpsOrDefault());
        boolean captured = ticks >= Math.ceil(source.seconds);
        if (captured && endOfCapture == 0) {
            endOfCapture = ticks;
        }
        boolean through = FrameSources.channels(source).stream().allMatch(ch -> status.frames(ch) >= expected);
        // Stop once every channel has its seconds' worth through the encoder, or 30 s after capture ended.
        return captured && (through || ticks - endOfCapture > 30);
    }

    @Override
    protected void finished(PrintWriter out, boolean drained, Optional<JobExecutionResult> result) throws Exception {
        out.println();
        out.println("analysing " + nalTopic + " (read_committed)...");
        try (StreamReport r = new StreamReport(10)) {
            NalTopicReader.Result read = NalTopicReader.read(endpoint.bootstrapServers(), nalTopic, true, r::add);
            r.finish();
            out.print(r.table());
            r.write(report);
            out.println(read.records() + " NAL records; report (bitrate plots, keyframe contact sheets) in "
                    + report.toAbsolutePath());
            out.println("the encoders' own counters (frames / keyframes / bytes) against the analysis:");
            encoderTotals(result).forEach((channel, t) -> {
                io.vencflow.jobs.analyze.ChannelStats s = r.channel(channel);
                boolean same = s != null && s.frames() == t[0] && s.keyframes() == t[1] && s.bytes() == t[2];
                out.printf("  %-12s %7d / %5d / %10d  %s%n", channel, t[0], t[1], t[2], same ? "matches"
                        : "DIFFERS: analysis " + (s == null ? "has no such channel"
                                : s.frames() + " / " + s.keyframes() + " / " + s.bytes()));
            });
        }
        out.println("archive: " + archive.out.toAbsolutePath());
    }
}
