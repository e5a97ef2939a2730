package io.vencflow.jobs.internal;

import io.vencflow.connectors.kafka.KafkaVideo;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.wire.MalformedRecordException;
import io.vencflow.core.wire.NalRecords;
import io.vencflow.core.wire.WireRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a NAL topic from its start to the end it has when reading starts, as a plain Kafka consumer
 * with {@code read_committed} (only what exactly-once jobs committed), partition by partition in
 * offset order: each channel's access units in their order. Records that are not access units are
 * counted, not fatal.
 */
public final class NalTopicReader {
    private NalTopicReader() {
    }

    /** What a read found. */
    public record Result(long records, long malformed) {
    }

    /**
     * @throws IllegalArgumentException when the topic does not exist
     */
    public static Result read(String bootstrapServers, String topic, boolean committedOnly, Consumer<EncodedFrame> sink) {
        Properties p = consumerProperties(bootstrapServers, committedOnly);
        long records = 0;
        long malformed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Map<TopicPartition, Long> remaining = new LinkedHashMap<>(end);
            remaining.entrySet().removeIf(e -> consumer.position(e.getKey(), Duration.ofSeconds(10)) >= e.getValue());
            long idleSince = System.nanoTime();
            while (!remaining.isEmpty()) {
                var batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty() && System.nanoTime() - idleSince > 30_000_000_000L) {
                    throw new IllegalStateException("topic " + topic + " stopped delivering before its end offsets "
                            + remaining);
                }
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    idleSince = System.nanoTime();
                    records++;
                    try {
                        sink.accept(NalRecords.decode(wire(r)));
                    } catch (MalformedRecordException e) {
                        malformed++;
                    }
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return new Result(records, malformed);
    }

    static Properties consumerProperties(String bootstrapServers, boolean committedOnly) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(4 * KafkaVideo.MAX_RECORD_BYTES));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return p;
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo i : infos) {
            out.add(new TopicPartition(topic, i.partition()));
        }
        return out;
    }

    static WireRecord wire(ConsumerRecord<byte[], byte[]> r) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value());
        }
        return new WireRecord(r.key(), r.value(), headers);
    }
}
