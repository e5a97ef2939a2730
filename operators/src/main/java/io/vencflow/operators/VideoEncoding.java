package io.vencflow.operators;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.ChannelId;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.internal.ChannelKeySelector;
import io.vencflow.operators.internal.KeyedEncoderFunction;
import io.vencflow.operators.internal.PartitionCheck;
import io.vencflow.operators.serialization.RecordTypeInfo;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Encodes a stream of frames, one encoder per channel: {@code VideoEncoding.encode(frames, configs)}
 * keys the frames by channel and gives one {@link EncodedFrame} per frame, per channel in sequence
 * order, GOP index and position stamped from Flink state (they keep counting across restores, and
 * the first access unit after a restore is an IDR with parameter sets).
 *
 * <p>Frames that cannot be encoded come out on side outputs of the returned operator, never lost
 * silently: {@code encoded.getSideOutput(VideoEncoding.LATE_FRAMES)} (arrived after their sequence
 * was passed) and {@code encoded.getSideOutput(VideoEncoding.REJECTED_FRAMES)} (size or format does
 * not fit the channel's config). Duplicates are dropped and counted.
 *
 * <p>The frame stream must be typed {@link VideoTypes#FRAME}. The operator gets the uid {@value #UID};
 * a job that encodes twice must give one of them another uid ({@code .uid(...)} on the result).
 */
public final class VideoEncoding {
    /** The encoder operator's default uid, which savepoints use to find its state. */
    public static final String UID = "vencflow-encode";

    /**
     * Prefix of the job accumulators with each channel's totals of the run:
     * {@code vencflow.encoded.<channel>.frames}, {@code .keyframes} and {@code .bytes} (Annex-B bytes),
     * in {@code JobExecutionResult#getAllAccumulatorResults()} when the job ends. They count the last
     * attempt of the run, not what a restored run's predecessor encoded.
     */
    public static final String ACCUMULATOR_PREFIX = "vencflow.encoded.";

    /** Frames that arrived after their sequence had been passed (the gap before them was skipped). */
    public static final OutputTag<Frame> LATE_FRAMES = new OutputTag<>("vencflow-late-frames", VideoTypes.FRAME);

    /** Frames whose channel has no config, or whose size or pixel format does not fit it. */
    public static final OutputTag<RejectedFrame> REJECTED_FRAMES =
            new OutputTag<>("vencflow-rejected-frames", VideoTypes.REJECTED_FRAME);

    private VideoEncoding() {
    }

    /** Encodes with the default {@link EncodingOptions}. */
    public static SingleOutputStreamOperator<EncodedFrame> encode(DataStream<Frame> frames, ChannelConfigs configs) {
        return encode(frames, configs, EncodingOptions.defaults());
    }

    /**
     * Keys {@code frames} by channel and encodes each channel with its config from {@code configs}.
     *
     * @throws IllegalArgumentException when the stream is not typed {@link VideoTypes#FRAME}
     */
    public static SingleOutputStreamOperator<EncodedFrame> encode(DataStream<Frame> frames, ChannelConfigs configs,
            EncodingOptions options) {
        Objects.requireNonNull(configs, "configs");
        Objects.requireNonNull(options, "options");
        requireFrameType(frames);
        return frames.keyBy(new ChannelKeySelector(), Types.STRING)
                .process(new KeyedEncoderFunction(configs, options), VideoTypes.ENCODED_FRAME)
                .name("vencflow encode")
                .uid(UID);
    }

    /**
     * Encodes frames that arrive already partitioned by channel, the way {@code keyBy(channel)} would
     * partition them: subtask i of {@code frames} emits only channels with {@link #subtaskOf
     * subtaskOf(channel, maxParallelism, parallelism)} == i. Then no frame crosses an exchange: each goes
     * from the source to its encoder inside one task, never serialized, which saves most of what the
     * pipeline costs beside the encoder (raw frames are large). The encoder runs with the parallelism of
     * {@code frames}; a frame at another subtask than its channel's fails the job with a message naming
     * both. Sources that read a fixed set of cameras can partition them with {@link #subtaskOf}.
     */
    public static SingleOutputStreamOperator<EncodedFrame> encodePartitioned(DataStream<Frame> frames,
            ChannelConfigs configs, EncodingOptions options) {
        Objects.requireNonNull(configs, "configs");
        Objects.requireNonNull(options, "options");
        requireFrameType(frames);
        int parallelism = frames.getParallelism();
        SingleOutputStreamOperator<Frame> checked = frames.map(new PartitionCheck(), VideoTypes.FRAME)
                .name("vencflow partition check").uid(UID + "-partition-check");
        SingleOutputStreamOperator<EncodedFrame> encoded = DataStreamUtils
                .reinterpretAsKeyedStream(checked, new ChannelKeySelector(), Types.STRING)
                .process(new KeyedEncoderFunction(configs, options), VideoTypes.ENCODED_FRAME)
                .name("vencflow encode")
                .uid(UID);
        if (parallelism > 0) {
            checked.setParallelism(parallelism);
            encoded.setParallelism(parallelism);
        }
        return encoded;
    }

    /**
     * The subtask of a {@code parallelism}-wide keyed operator with {@code maxParallelism} key groups that
     * owns {@code channel}: where {@code keyBy(channel)} sends its frames.
     */
    public static int subtaskOf(String channel, int maxParallelism, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(ChannelId.check(channel), maxParallelism,
                parallelism);
    }

    /**
     * Event-time watermarks for frames: timestamps from {@link Frame#ptsMicros()} (in ms), trailing the
     * highest seen by {@code maxOutOfOrderness}. The encoder's lateness bound counts from them.
     */
    public static WatermarkStrategy<Frame> watermarks(Duration maxOutOfOrderness) {
        return WatermarkStrategy.<Frame>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((frame, previous) -> Math.floorDiv(frame.ptsMicros(), 1000L));
    }

    static void requireFrameType(DataStream<Frame> frames) {
        Objects.requireNonNull(frames, "frames");
        if (!(frames.getType() instanceof RecordTypeInfo<?> t) || t.getTypeClass() != Frame.class) {
            throw new IllegalArgumentException("the frame stream is typed " + frames.getType()
                    + "; expected VideoTypes.FRAME (give it to the source, or .returns(VideoTypes.FRAME) after a map),"
                    + " else Flink would ship frames through Kryo");
        }
    }
}
