package io.vencflow.connectors.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import io.vencflow.connectors.kafka.internal.BoundedKafkaSource;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds a Flink {@link KafkaSource} of a video topic in vencflow's wire format: frame records, each
 * decoded to a {@link FrameOrDeadLetter} (a bad record never fails the job; split them with
 * {@link KafkaVideo#decodeFrames}), made by {@link KafkaVideo#frameSource()}; or NAL records decoded
 * to access units, made by {@link KafkaVideo#nalSource()}. {@link #build()} checks every setting.
 *
 * <p>Starts from the group's committed offsets, else the earliest (or at the end, {@link #fromLatest});
 * offsets are checkpointed by Flink
 * and committed to Kafka on checkpoints. Consumer settings it makes (a {@link #consumerProperty} given
 * explicitly wins): {@code max.partition.fetch.bytes} = {@link KafkaVideo#MAX_RECORD_BYTES},
 * {@code fetch.max.bytes} = 4 x that, {@code isolation.level} = {@code read_committed} (records written
 * by an exactly-once sink are read only once committed).
 *
 * @param <T> what each record becomes
 */
public final class VideoSourceBuilder<T> {
    private final KafkaRecordDeserializationSchema<T> deserializer;
    private String bootstrapServers;
    private String topic;
    private String groupId;
    private boolean bounded;
    private boolean fromLatest;
    private final Map<String, String> consumerProperties = new LinkedHashMap<>();

    VideoSourceBuilder(KafkaRecordDeserializationSchema<T> deserializer) {
        this.deserializer = deserializer;
    }

    public VideoSourceBuilder<T> bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    public VideoSourceBuilder<T> topic(String topic) {
        this.topic = topic;
        return this;
    }

    /** The consumer group whose committed offsets the source starts from and commits to. */
    public VideoSourceBuilder<T> groupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    /**
     * Stops at the offsets that are the latest when the job starts (for replays and tests), also when
     * the job is restored from a checkpoint; endless by default.
     */
    public VideoSourceBuilder<T> bounded(boolean bounded) {
        this.bounded = bounded;
        return this;
    }

    /**
     * Starts at the end of the topic instead of the group's committed offsets (or the earliest): what a
     * live consumer such as an RTSP server wants, where the past is no use. Restores still continue
     * from the checkpointed offsets.
     */
    public VideoSourceBuilder<T> fromLatest(boolean fromLatest) {
        this.fromLatest = fromLatest;
        return this;
    }

    /** Any other consumer setting; wins over the ones this builder makes. */
    public VideoSourceBuilder<T> consumerProperty(String key, String value) {
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
    public Source<T, KafkaPartitionSplit, KafkaSourceEnumState> build() {
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
        KafkaSourceBuilder<T> b = KafkaSource.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(fromLatest ? OffsetsInitializer.latest()
                        : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                .setProperties(consumerProperties());
        if (!bounded) {
            return b.build();
        }
        b.setBounded(OffsetsInitializer.latest());
        // Flink's Kafka source alone never ends once restored from a checkpoint; this one does.
        return new BoundedKafkaSource<>(b.build(), bootstrapServers, topic);
    }
}
