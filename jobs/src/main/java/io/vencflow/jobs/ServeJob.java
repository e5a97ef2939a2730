package io.vencflow.jobs;

import io.vencflow.connectors.kafka.KafkaVideo;
import io.vencflow.connectors.rtsp.RtspServerConfig;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.jobs.cli.options.EncoderOptions;
import io.vencflow.jobs.cli.options.KafkaOptions;
import io.vencflow.jobs.cli.options.RtspOptions;
import io.vencflow.jobs.cli.options.SourceOptions;
import io.vencflow.jobs.internal.EncoderSetup;
import io.vencflow.jobs.internal.FrameSources;
import io.vencflow.jobs.internal.JobCommand;
import io.vencflow.jobs.internal.KafkaEndpoint;
import io.vencflow.jobs.internal.RtspUrls;
import io.vencflow.jobs.internal.VideoSinks;
import io.vencflow.operators.VideoTypes;
import java.io.PrintWriter;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vencflow serve}: channels to RTSP players. Frames from cameras or clips are encoded first; a
 * Kafka NAL topic is served as it is.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cameras or clips (encoded here), or a Kafka NAL topic (--source kafka), to the embedded RTSP",
            "server at rtsp://<bind>:<port>/<channel>, and/or pushed to an external RTSP server (--push)."})
public final class ServeJob extends JobCommand {
    @Mixin
    SourceOptions source;

    @Mixin
    RtspOptions rtsp;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--input-topic", defaultValue = KafkaOptions.NAL_TOPIC,
            description = "NAL topic of --source kafka (default: ${DEFAULT-VALUE})")
    String inputTopic;

    @Mixin
    EncoderOptions encoder;

    private KafkaEndpoint endpoint;
    private RtspServerConfig server;

    /** For {@code flink run -c io.vencflow.jobs.ServeJob vencflow.jar ...}. */
    public static void main(String[] args) {
        JobCommand.main(new ServeJob(), args);
    }

    @Override
    protected String jobName() {
        return "serve";
    }

    @Override
    protected int channelCount() {
        return FrameSources.channelCount(source);
    }

    @Override
    protected void checkOptions() {
        source.check();
        server = VideoSinks.rtspServer(rtsp);
        if (rtsp.disabled && rtsp.pushUrl == null) {
            throw new IllegalArgumentException("--no-rtsp without --push leaves serve nothing to do");
        }
    }

    @Override
    protected AutoCloseable openResources(boolean local, PrintWriter out) {
        if (source.kind() != SourceOptions.Kind.KAFKA) {
            return () -> { };
        }
        endpoint = KafkaEndpoint.open(kafka.bootstrapServers, local, out);
        return endpoint;
    }

    @Override
    protected void define(StreamExecutionEnvironment env, boolean local) throws Exception {
        DataStream<EncodedFrame> encoded;
        if (source.kind() == SourceOptions.Kind.KAFKA) {
            encoded = env.fromSource(KafkaVideo.nalSource().bootstrapServers(endpoint.bootstrapServers()).topic(inputTopic)
                    .groupId(kafka.groupId("vencflow-" + jobName())).fromLatest(true)
                    .build(), WatermarkStrategy.noWatermarks(), "kafka " + inputTopic, VideoTypes.ENCODED_FRAME)
                    .uid("vencflow-kafka-nal-" + inputTopic);
        } else {
            encoded = EncoderSetup.encode(FrameSources.open(env, source), EncoderSetup.configs(encoder,
                encoderThreads(encoder.threads), runtime,
                    source.size.width(), source.size.height(), source.fpsOrDefault(), source.pixelFormat,
                    source.kind() == SourceOptions.Kind.FILE));
        }
        VideoSinks.toRtsp(encoded, rtsp, server);
    }

    @Override
    protected void started(PrintWriter out) throws InterruptedException {
        if (!rtsp.disabled) {
            RtspUrls.print(out, server, source.kind() == SourceOptions.Kind.KAFKA ? null : FrameSources.channels(source));
        }
        if (rtsp.pushUrl != null) {
            out.println("pushing every channel to " + rtsp.pushUrl);
        }
    }

    @Override
    protected void finished(PrintWriter out, boolean drained, Optional<JobExecutionResult> result) {
        out.println("serve " + (drained ? "stopped" : "finished"));
    }

}
