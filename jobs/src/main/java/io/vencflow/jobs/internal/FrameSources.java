package io.vencflow.jobs.internal;

import io.vencflow.connectors.file.ClipSource;
import io.vencflow.connectors.kafka.DeadLetter;
import io.vencflow.connectors.kafka.FrameOrDeadLetter;
import io.vencflow.connectors.kafka.KafkaVideo;
import io.vencflow.connectors.sensor.SensorSource;
import io.vencflow.core.frame.Frame;
import io.vencflow.jobs.cli.options.SourceOptions;
import io.vencflow.operators.VideoEncoding;
import io.vencflow.operators.VideoTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The frame stream the source flags describe: generated cameras, replayed clips, or a frame topic. */
public final class FrameSources {
    /** How far behind the newest frame watermarks trail: frames this much out of order still count. */
    public static final Duration OUT_OF_ORDERNESS = Duration.ofMillis(200);

    private FrameSources() {
    }

    /**
     * How many channels a source brings, for sizing parallelism: the ids of a sensor or file source,
     * {@code --channels} for a Kafka topic (whose ids come only with the records); at least 1.
     */
    public static int channelCount(SourceOptions s) {
        return Math.max(1, s.kind() == SourceOptions.Kind.KAFKA ? s.channels : channels(s).size());
    }

    /** The channel ids of a sensor or file source, known before the job runs. */
    public static List<String> channels(SourceOptions s) {
        List<String> ids = new ArrayList<>();
        switch (s.kind()) {
            case SENSOR -> {
                for (int i = 0; i < s.channels; i++) {
                    ids.add("cam" + i);
                }
            }
            case FILE -> {
                for (Path input : s.inputs) {
                    String base = clipName(input);
                    for (int i = 0; i < s.channels; i++) {
                        ids.add(s.channels == 1 && s.inputs.size() == 1 ? base : base + "-" + i);
                    }
                }
            }
            case KAFKA -> {
                // known only from the records
            }
        }
        return ids;
    }

    /** A clip's file name made a channel id: letters, digits, '.', '_' and '-' kept, the rest '_'. */
    static String clipName(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]", "_");
        return base.length() > 48 ? base.substring(0, 48) : base;
    }

    /**
     * A sensor or file source. Frames carry their capture time as event time; each channel is one split
     * whose position is checkpointed, so a restored job continues each channel's sequence.
     */
    public static DataStream<Frame> open(StreamExecutionEnvironment env, SourceOptions s) throws java.io.IOException {
        s.check();
        return switch (s.kind()) {
            case SENSOR -> {
                SensorSource.Builder b = SensorSource.builder().cameras(s.channels)
                        .size(s.size.width(), s.size.height()).format(s.pixelFormat).fps(s.fpsOrDefault())
                        .paced(!s.unpaced);
                if (s.frames != null) {
                    b.framesPerCamera(s.frames);
                }
                if (s.seconds != null) {
                    b.seconds(s.seconds);
                }
                yield env.fromSource(b.build(), VideoEncoding.watermarks(OUT_OF_ORDERNESS), "sensor", VideoTypes.FRAME)
                        .uid("vencflow-sensor");
            }
            case FILE -> {
                ClipSource.Builder b = ClipSource.builder().paced(!s.unpaced).loop(s.loop);
                if (s.fps != null) {
                    b.fps(s.fps);
                }
                List<String> ids = channels(s);
                int next = 0;
                for (Path input : s.inputs) {
                    if (!Files.isRegularFile(input)) {
                        throw new IllegalArgumentException("--input " + input + " is not a file");
                    }
                    String[] names = ids.subList(next, next + s.channels).toArray(new String[0]);
                    next += s.channels;
                    if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".y4m")) {
                        b.y4m(input, names);
                    } else {
                        b.raw(input, s.size.width(), s.size.height(), s.pixelFormat, names);
                    }
                }
                if (s.frames != null) {
                    b.framesPerChannel(s.frames);
                }
                if (s.seconds != null) {
                    b.framesPerChannel(Math.max(1, Math.round(s.seconds * s.fpsOrDefault())));
                }
                yield env.fromSource(b.build(), VideoEncoding.watermarks(OUT_OF_ORDERNESS), "clips", VideoTypes.FRAME)
                        .uid("vencflow-clips");
            }
            case KAFKA -> throw new IllegalStateException("a Kafka frame source needs its topic: use fromKafka");
        };
    }

    /**
     * The frames of a frame topic; records that cannot be decoded go to the log and the
     * {@code deadLetters} counters, and the job goes on.
     *
     * @param bounded stop at the end offsets the topic has when the job starts
     */
    public static DataStream<Frame> fromKafka(StreamExecutionEnvironment env, String bootstrapServers, String topic,
            String groupId, boolean bounded) {
        Source<FrameOrDeadLetter, ?, ?> source = KafkaVideo.frameSource().bootstrapServers(bootstrapServers).topic(topic)
                .groupId(groupId).bounded(bounded).build();
        SingleOutputStreamOperator<Frame> frames = KafkaVideo.decodeFrames(
                env.fromSource(source, KafkaVideo.frameWatermarks(OUT_OF_ORDERNESS), "kafka " + topic)
                        .uid("vencflow-kafka-frames-" + topic))
                .uid("vencflow-decode-frames-" + topic);
        DataStream<DeadLetter> dead = frames.getSideOutput(KafkaVideo.DEAD_LETTERS);
        dead.sinkTo(new WarnSink<>("dead letter")).uid("vencflow-dead-letters-" + topic).name("dead letters");
        return frames;
    }
}
