package io.vencflow.connectors.kafka;

import io.vencflow.connectors.kafka.internal.DeadLetterSplitter;
import io.vencflow.connectors.kafka.internal.FrameRecordDeserializer;
import io.vencflow.connectors.kafka.internal.NalRecordDeserializer;
import io.vencflow.connectors.kafka.internal.KafkaTypes;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.VideoTypes;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Video on Kafka in vencflow's wire format ({@link io.vencflow.core.wire}): frame topics in and out,
 * NAL topics out. Records are keyed by channel, so Kafka's partitioner keeps each channel in one
 * partition and in order.
 *
 * <pre>{@code
 * KafkaSink<Frame> ingest = KafkaVideo.frameSink().bootstrapServers(bs).topic("frames").build();
 * Source<FrameOrDeadLetter, ?, ?> in = KafkaVideo.frameSource().bootstrapServers(bs).topic("frames")
 *         .groupId("encoder").build();
 * SingleOutputStreamOperator<Frame> frames =
 *         KafkaVideo.decodeFrames(env.fromSource(in, KafkaVideo.frameWatermarks(Duration.ofMillis(200)), "frames"));
 * DataStream<DeadLetter> bad = frames.getSideOutput(KafkaVideo.DEAD_LETTERS);
 * KafkaSink<EncodedFrame> out = KafkaVideo.nalSink().bootstrapServers(bs).topic("nal")
 *         .transactionalIdPrefix("encoder-nal").build();   // exactly-once: needs checkpointing
 * }</pre>
 *
 * <p>Sizes: clients and topics must allow records up to {@link #MAX_RECORD_BYTES}; the builders set
 * the client side ({@code max.request.size}, {@code buffer.memory}, {@code max.partition.fetch.bytes},
 * {@code fetch.max.bytes}), the broker needs {@code message.max.bytes} (or the topic
 * {@code max.message.bytes}) and {@code replica.fetch.max.bytes} at least as large, as
 * {@link EmbeddedKafka} has them.
 */
public final class KafkaVideo {
    /**
     * The largest record the clients are set up for: 16 MiB, room for a 3840x2160 I420 frame (12.4 MB)
     * and its headers. A 1920x1080 I420 frame is 3.1 MB, Kafka's default limit 1 MB.
     */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    /**
     * The producer transaction timeout the exactly-once sinks ask for unless told otherwise: 10 minutes,
     * below the broker's default {@code transaction.max.timeout.ms} of 15 minutes (a producer asking for
     * more is refused by the broker). It must exceed the longest checkpoint interval plus restart time,
     * or the broker aborts transactions Flink still means to commit.
     */
    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 600_000;

    /** Records of the frame topic that could not be decoded, with the reason and where they are. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("vencflow-dead-letters",
            KafkaTypes.DEAD_LETTER);

    private KafkaVideo() {
    }

    /** A sink of frames to a frame topic; at-least-once unless set otherwise. */
    public static VideoSinkBuilder<Frame> frameSink() {
        return new VideoSinkBuilder<>(VideoSinkBuilder.Kind.FRAMES, DeliveryGuarantee.AT_LEAST_ONCE);
    }

    /**
     * A sink of access units to a NAL topic; exactly-once unless set otherwise (give it a
     * {@link VideoSinkBuilder#transactionalIdPrefix}, and enable checkpointing: records become visible
     * to {@code read_committed} consumers when the checkpoint that covers them completes).
     */
    public static VideoSinkBuilder<EncodedFrame> nalSink() {
        return new VideoSinkBuilder<>(VideoSinkBuilder.Kind.NAL_UNITS, DeliveryGuarantee.EXACTLY_ONCE);
    }

    /** A source of frame-topic records, each decoded to a frame or a dead letter. */
    public static VideoSourceBuilder<FrameOrDeadLetter> frameSource() {
        return new VideoSourceBuilder<>(new FrameRecordDeserializer());
    }

    /**
     * A source of NAL-topic records, each decoded to an access unit (typed
     * {@link VideoTypes#ENCODED_FRAME}): what a job that serves or analyses encoded streams reads. A
     * record that cannot be decoded is skipped, logged and counted in the metric
     * {@code malformedNalRecords}; the job keeps running.
     */
    public static VideoSourceBuilder<EncodedFrame> nalSource() {
        return new VideoSourceBuilder<>(new NalRecordDeserializer());
    }

    /**
     * Event time for frame-topic records: a frame's timestamp is its {@code ptsMicros} (in ms), a dead
     * letter's the Kafka record's; watermarks trail the highest by {@code maxOutOfOrderness}, per
     * partition.
     */
    public static WatermarkStrategy<FrameOrDeadLetter> frameWatermarks(Duration maxOutOfOrderness) {
        return WatermarkStrategy.<FrameOrDeadLetter>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((r, kafkaTimestampMs) -> r.isFrame()
                        ? Math.floorDiv(r.frame().ptsMicros(), 1000L) : kafkaTimestampMs);
    }

    /**
     * Splits decoded records: the frames (typed {@link VideoTypes#FRAME}, ready for
     * {@code VideoEncoding.encode}) and, on {@link #DEAD_LETTERS}, the records that could not be
     * decoded. Counts dead letters in the metric {@code deadLetters}, and per reason in
     * {@code deadLetters_<reason>} ({@code deadLetters_size_mismatch}, ...). The job keeps running.
     */
    public static SingleOutputStreamOperator<Frame> decodeFrames(DataStream<FrameOrDeadLetter> records) {
        Objects.requireNonNull(records, "records");
        return records.process(new DeadLetterSplitter(), VideoTypes.FRAME).name("vencflow decode frame records");
    }
}
