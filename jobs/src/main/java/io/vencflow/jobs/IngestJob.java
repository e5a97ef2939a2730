package io.vencflow.jobs;

import io.vencflow.core.frame.Frame;
import io.vencflow.jobs.cli.options.KafkaOptions;
import io.vencflow.jobs.cli.options.SourceOptions;
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

/** {@code vencflow ingest}: frames (cameras or clips) to a Kafka frame topic, keyed and partitioned by channel. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Frames from cameras (--source sensor) or clips (--source file) to a Kafka frame topic,",
            "key = channel, in vencflow's wire format."})
public final class IngestJob extends JobCommand {
    @Mixin
    SourceOptions source;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", defaultValue = KafkaOptions.FRAME_TOPIC,
            description = "frame topic (default: ${DEFAULT-VALUE})")
    String topic;

    private KafkaEndpoint endpoint;

    /** For {@code flink run -c io.vencflow.jobs.IngestJob vencflow.jar ...}. */
    public static void main(String[] args) {
        JobCommand.main(new IngestJob(), args);
    }

    @Override
    protected String jobName() {
        return "ingest";
    }

    @Override
    protected int channelCount() {
        return FrameSources.channelCount(source);
    }

    @Override
    protected void checkOptions() {
        source.check();
        if (source.kind() == SourceOptions.Kind.KAFKA) {
            throw new IllegalArgumentException("ingest reads cameras or clips: --source sensor or file, not kafka");
        }
        kafka.exactlyOnce(false);
    }

    @Override
    protected AutoCloseable openResources(boolean local, PrintWriter out) {
        endpoint = KafkaEndpoint.open(kafka.bootstrapServers, local, out);
        endpoint.ensureTopic(topic, kafka.partitions > 0 ? kafka.partitions : channelCount());
        return endpoint;
    }

    @Override
    protected void define(StreamExecutionEnvironment env, boolean local) throws Exception {
        DataStream<Frame> frames = FrameSources.open(env, source);
        VideoSinks.toFrameTopic(frames, endpoint.bootstrapServers(), topic, kafka.exactlyOnce(false), jobName());
    }

    @Override
    protected void started(PrintWriter out) {
        out.println("ingesting " + FrameSources.channels(source) + " into " + topic + " at " + endpoint.bootstrapServers());
    }

    @Override
    protected void finished(PrintWriter out, boolean drained, Optional<JobExecutionResult> result) {
        out.println("ingest " + (drained ? "stopped" : "finished"));
    }
}
