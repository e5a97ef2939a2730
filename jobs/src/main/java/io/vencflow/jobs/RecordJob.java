package io.vencflow.jobs;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.jobs.cli.options.ArchiveOptions;
import io.vencflow.jobs.cli.options.EncoderOptions;
import io.vencflow.jobs.cli.options.KafkaOptions;
import io.vencflow.jobs.cli.options.SourceOptions;
import io.vencflow.jobs.internal.EncoderSetup;
import io.vencflow.jobs.internal.FrameSources;
import io.vencflow.jobs.internal.JobCommand;
import io.vencflow.jobs.internal.KafkaEndpoint;
import io.vencflow.jobs.internal.VideoSinks;
import java.io.PrintWriter;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vencflow record}: frames (cameras, clips or a frame topic) -> encoders -> the rolling archive. */
@Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Frames from cameras, clips or a Kafka frame topic -> one encoder per channel -> the rolling",
            "file archive (<out>/<channel>/<start>-<sequence>.h264), committed at each checkpoint, with retention."})
public final class RecordJob extends JobCommand {
    @Mixin
    SourceOptions source;

    @Mixin
    ArchiveOptions archive;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--input-topic", defaultValue = KafkaOptions.FRAME_TOPIC,
            description = "frame topic of --source kafka (default: ${DEFAULT-VALUE})")
    String inputTopic;

    @Option(names = "--bounded", description = "with --source kafka: stop at the end the topic has when the job starts")
    boolean bounded;

    @Mixin
    EncoderOptions encoder;

    private KafkaEndpoint endpoint;

    /** For {@code flink run -c io.vencflow.jobs.RecordJob vencflow.jar ...}. */
    public static void main(String[] args) {
        JobCommand.main(new RecordJob(), args);
    }

    @Override
    protected String jobName() {
        return "record";
    }

    @Override
    protected int channelCount() {
        return FrameSources.channelCount(source);
    }

    @Override
    protected void checkOptions() {
        source.check();
        if (archive.out == null) {
            throw new IllegalArgumentException("record needs --out DIR, the archive folder");
        }
    }

    @Override
    protected AutoCloseable openResources(boolean local, PrintWriter out) {
        if (source.kind() != SourceOptions.Kind.KAFKA) {
            return () -> { };
        }
        endpoint = KafkaEndpoint.open(kafka.bootstrapServers, local, out);
        endpoint.ensureTopic(inputTopic, kafka.partitions > 0 ? kafka.partitions : channelCount());
        return endpoint;
    }

    @Override
    protected void define(StreamExecutionEnvironment env, boolean local) throws Exception {
        boolean fromKafka = source.kind() == SourceOptions.Kind.KAFKA;
        DataStream<Frame> frames = fromKafka
                ? FrameSources.fromKafka(env, endpoint.bootstrapServers(), inputTopic,
                        kafka.groupId("vencflow-" + jobName()), bounded)
                : FrameSources.open(env, source);
        DataStream<EncodedFrame> encoded = EncoderSetup.encode(frames, EncoderSetup.configs(encoder,
                encoderThreads(encoder.threads), runtime,
                source.size.width(), source.size.height(), source.fpsOrDefault(), source.pixelFormat, fromKafka
                        || source.kind() == SourceOptions.Kind.FILE));
        VideoSinks.toArchive(encoded, archive);
    }

    @Override
    protected void started(PrintWriter out) {
        out.println("recording into " + archive.out.toAbsolutePath() + " (segments appear at each checkpoint, every "
                + runtime.checkpointInterval.toMillis() + " ms)");
    }

    @Override
    protected void finished(PrintWriter out, boolean drained, Optional<JobExecutionResult> result) {
        out.println("record " + (drained ? "stopped" : "finished") + "; archive in " + archive.out.toAbsolutePath());
    }
}
