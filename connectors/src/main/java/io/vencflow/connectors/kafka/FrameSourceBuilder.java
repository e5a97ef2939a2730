package io.vencflow.connectors.kafka;

import io.vencflow.connectors.kafka.internal.FrameRecordDeserializer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds a Flink {@link KafkaSource} of frame-topic records, each decoded to a
 * {@link FrameOrDeadLetter} (a bad record never fails the job); split them with
 * {@link KafkaVideo#decodeFrames}. Made by {@link KafkaVideo#frameSource()}; {@link #build()} checks
 * every setting.
 *
 * <p>Starts from the group's committed offsets, else the earliest; offsets are checkpointed by Flink
 * and committed to Kafka on checkpoints. Consumer settings it makes (a {@link #consumerProperty} given
 * explicitly wins): {@code max.partition.fetch.bytes} = {@link KafkaVideo#MAX_RECORD_BYTES},
 * {@code fetch.max.bytes} = 4 x that, {@code isolation.level} = {@code read_committed} (frames written
 * by an exactly-once ingest are read only once committed).
 */
public final class FrameSourceBuilder {
    private String bootstrapServers;
    private String topic;
    private String groupId;
    private boolean bounded;
    private final Map<String, String> consumerProperties = new LinkedHashMap<>();

    FrameSourceBuilder() {
    }

    public FrameSourceBuilder bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    public FrameSourceBuilder topic(String topic) {
        this.topic = topic;
        return this;
    }

    /** The consumer group whose committed offsets the source starts from and commits to. */
    public FrameSourceBuilder groupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    /** Stops at the offsets that are the latest when the job starts (for replays and tests); endless by default. */
    public FrameSourceBuilder bounded(boolean bounded) {
        this.bounded = bounded;
        return this;
    }

    /** Any other consumer setting; wins over the ones this builder makes. */
    public FrameSourceBuilder consumerProperty(String key, String value) {
        consumerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** The consumer settings the source will use (without bootstrap servers and group). */
    public Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(4 * KafkaVideo.MAX_RECORD_BYTES));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putAll(consumerProperties);
        return p;
    }

    /**
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    // Kafka 4 deprecates OffsetResetStrategy, but it is what the Flink connector's initializer takes.
    @SuppressWarnings("deprecation")
    public KafkaSource<FrameOrDeadLetter> build() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are not set; expected host:port[,host:port...]");
        }
        if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("topic " + (topic == null ? "is not set" : "'" + topic + "' is not a"
                    + " Kafka topic name") + "; expected 1-249 of [A-Za-z0-9._-]");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("group id is not set; the source commits its offsets to a consumer group");
        }
        KafkaSourceBuilder<FrameOrDeadLetter> b = KafkaSource.<FrameOrDeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new FrameRecordDeserializer())
                .setProperties(consumerProperties());
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }
}
