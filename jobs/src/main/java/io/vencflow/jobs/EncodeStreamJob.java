package io.vencflow.jobs;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.jobs.cli.options.EncoderOptions;
import io.vencflow.jobs.cli.options.KafkaOptions;
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

/**
 * {@code vencflow encode-stream}: the multi-camera ingestion job. A Kafka frame topic in, one encoder
 * per channel, a Kafka NAL topic out (exactly once unless told otherwise). Each channel is encoded at
 * the size and pixel format of its frames unless the --config file says otherwise.
 */
@Command(name = "encode-stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kafka frame topic -> one encoder per channel -> Kafka NAL topic (exactly once).",
            "Started again with the same --state-dir it resumes from its latest checkpoint."})
public final class EncodeStreamJob extends JobCommand {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--input-topic", defaultValue = KafkaOptions.FRAME_TOPIC,
            description = "frame topic (default: ${DEFAULT-VALUE})")
    String inputTopic;

    @Option(names = "--output-topic", defaultValue = KafkaOptions.NAL_TOPIC,
            description = "NAL topic (default: ${DEFAULT-VALUE})")
    String outputTopic;

    @Option(names = "--bounded", description = "stop at the end the frame topic has when the job starts")
    boolean bounded;

    @Option(names = "--channels", defaultValue = "4",
            description = "channels expected, for parallelism and the NAL topic's partitions (default: ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--fps", defaultValue = "30",
            description = "the channels' frame rate, for rate control and "
            + "stream timing (default: ${DEFAULT-VALUE})")
    int fps;

    @Mixin
    EncoderOptions encoder;

    private KafkaEndpoint endpoint;

    /** For {@code flink run -c io.vencflow.jobs.EncodeStreamJob vencflow.jar ...}. */
    public static void main(String[] args) {
        JobCommand.main(new EncodeStreamJob(), args);
    }

    @Override
    protected String jobName() {
        return "encode-stream";
    }

    @Override
    protected int channelCount() {
        return Math.max(1, channels);
    }

    @Override
    protected void checkOptions() {
        kafka.exactlyOnce(true);
        if (channels < 1 || channels > 256) {
            throw new IllegalArgumentException("--channels " + channels + " is out of range; expected 1..256");
        }
    }

    @Override
    protected AutoCloseable openResources(boolean local, PrintWriter out) {
        endpoint = KafkaEndpoint.open(kafka.bootstrapServers, local, out);
        int partitions = kafka.partitions > 0 ? kafka.partitions : channelCount();
        endpoint.ensureTopic(inputTopic, partitions);
        endpoint.ensureTopic(outputTopic, partitions);
        return endpoint;
    }

    @Override
    protected void define(StreamExecutionEnvironment env, boolean local) throws Exception {
        String group = kafka.groupId("vencflow-" + jobName() + "-" + inputTopic + "-" + outputTopic);
        DataStream<Frame> frames = FrameSources.fromKafka(env, endpoint.bootstrapServers(), inputTopic, group, bounded);
        // The size here is a placeholder: each channel takes its frames' size and format.
        DataStream<EncodedFrame> encoded = EncoderSetup.encode(frames, EncoderSetup.configs(encoder,
                encoderThreads(encoder.threads), runtime, 640, 360, fps, io.vencflow.core.frame.PixelFormat.I420, true));
        VideoSinks.toNalTopic(encoded, endpoint.bootstrapServers(), outputTopic, kafka.exactlyOnce(true), jobName());
    }

    @Override
    protected void started(PrintWriter out) {
        out.println("encoding " + inputTopic + " -> " + outputTopic + " at " + endpoint.bootstrapServers()
                + (kafka.exactlyOnce(true) ? " (exactly once: NAL records appear at each checkpoint)" : ""));
    }

    @Override
    protected void finished(PrintWriter out, boolean drained, Optional<JobExecutionResult> result) {
        out.println("encode-stream " + (drained ? "stopped" : "finished"));
    }
}
