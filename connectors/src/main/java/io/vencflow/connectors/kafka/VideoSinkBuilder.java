package io.vencflow.connectors.kafka;

import io.vencflow.connectors.kafka.internal.WireRecordSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Builds a Flink {@link KafkaSink} of frames or access units in the wire format, keyed by channel.
 * Made by {@link KafkaVideo#frameSink()} and {@link KafkaVideo#nalSink()}; {@link #build()} checks
 * every setting and names the wrong one.
 *
 * <p>Producer settings it makes (a {@link #producerProperty} given explicitly wins):
 * {@code max.request.size} = {@link KafkaVideo#MAX_RECORD_BYTES}, {@code buffer.memory} = 4 x that,
 * {@code compression.type} = {@code none} (pixels and NAL units do not compress), and for
 * exactly-once {@code transaction.timeout.ms} = {@link #transactionTimeoutMs}.
 */
public final class VideoSinkBuilder<T> {
    /** Kafka limits transactional ids to 32767 bytes; Flink appends subtask and checkpoint ids. */
    private static final int MAX_PREFIX_LENGTH = 200;

    enum Kind {
        FRAMES, NAL_UNITS
    }

    private final Kind kind;
    private DeliveryGuarantee guarantee;
    private String bootstrapServers;
    private String topic;
    private String transactionalIdPrefix;
    private long transactionTimeoutMs = KafkaVideo.DEFAULT_TRANSACTION_TIMEOUT_MS;
    private final Map<String, String> producerProperties = new LinkedHashMap<>();

    VideoSinkBuilder(Kind kind, DeliveryGuarantee defaultGuarantee) {
        this.kind = kind;
        this.guarantee = defaultGuarantee;
    }

    /** {@code host:port[,host:port...]} of the Kafka cluster. */
    public VideoSinkBuilder<T> bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    public VideoSinkBuilder<T> topic(String topic) {
        this.topic = topic;
        return this;
    }

    /** {@code EXACTLY_ONCE} (transactions, committed on checkpoints), {@code AT_LEAST_ONCE} or {@code NONE}. */
    public VideoSinkBuilder<T> deliveryGuarantee(DeliveryGuarantee guarantee) {
        this.guarantee = guarantee;
        return this;
    }

    /** Shorthand for {@code deliveryGuarantee(AT_LEAST_ONCE)}. */
    public VideoSinkBuilder<T> atLeastOnce() {
        return deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
    }

    /** Shorthand for {@code deliveryGuarantee(EXACTLY_ONCE).transactionalIdPrefix(prefix)}. */
    public VideoSinkBuilder<T> exactlyOnce(String transactionalIdPrefix) {
        return deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionalIdPrefix(transactionalIdPrefix);
    }

    /**
     * Exactly-once: the prefix of this sink's transactional ids. Unique among the sinks writing to one
     * cluster and kept across restarts of the same job (a restored job aborts its own lingering
     * transactions by it).
     */
    public VideoSinkBuilder<T> transactionalIdPrefix(String prefix) {
        this.transactionalIdPrefix = prefix;
        return this;
    }

    /** Exactly-once: the producer's {@code transaction.timeout.ms}; at most the broker's {@code transaction.max.timeout.ms}. */
    public VideoSinkBuilder<T> transactionTimeoutMs(long timeoutMs) {
        this.transactionTimeoutMs = timeoutMs;
        return this;
    }

    /** Any other producer setting; wins over the ones this builder makes. */
    public VideoSinkBuilder<T> producerProperty(String key, String value) {
        producerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** The producer settings the sink will use (bootstrap servers included). */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(4L * KafkaVideo.MAX_RECORD_BYTES));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeoutMs));
        }
        p.putAll(producerProperties);
        if (bootstrapServers != null) {
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        return p;
    }

    /**
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    @SuppressWarnings("unchecked")
    public KafkaSink<T> build() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are not set; expected host:port[,host:port...]");
        }
        if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("topic " + (topic == null ? "is not set" : "'" + topic + "' is not a"
                    + " Kafka topic name") + "; expected 1-249 of [A-Za-z0-9._-]");
        }
        Objects.requireNonNull(guarantee, "delivery guarantee");
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
                throw new IllegalArgumentException("exactly-once needs a transactional id prefix, unique among the sinks"
                        + " writing to this cluster; set transactionalIdPrefix(...) or choose at-least-once");
            }
            if (transactionalIdPrefix.length() > MAX_PREFIX_LENGTH) {
                throw new IllegalArgumentException("transactional id prefix of " + transactionalIdPrefix.length()
                        + " characters is too long; expected at most " + MAX_PREFIX_LENGTH);
            }
            if (transactionTimeoutMs < 1_000 || transactionTimeoutMs > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("transaction timeout " + transactionTimeoutMs + " ms is out of range;"
                        + " expected 1000.." + Integer.MAX_VALUE + " ms and at most the broker's"
                        + " transaction.max.timeout.ms (15 min by default)");
            }
        }
        String maxRequest = producerProperties().getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (kind == Kind.FRAMES && Long.parseLong(maxRequest) < 1_048_576) {
            throw new IllegalArgumentException("max.request.size " + maxRequest + " is below 1 MiB; frame records are"
                    + " width*height*format bytes (a 1080p I420 frame is 3.1 MB)");
        }
        WireRecordSerializer<?> serializer = kind == Kind.FRAMES
                ? WireRecordSerializer.frames(topic) : WireRecordSerializer.accessUnits(topic);
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producerProperties())
                .setRecordSerializer((WireRecordSerializer<T>) serializer)
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        return builder.build();
    }
}
