package io.vencflow.jobs.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches a NAL topic while a job writes it, as an outside {@code read_committed} consumer would: how
 * many records each channel has committed so far, and which transactions are still open on the broker.
 * Not thread-safe: one test thread polls it.
 */
final class NalTopicWatch implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final Map<String, Integer> committed = new TreeMap<>();

    NalTopicWatch(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "watch-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        admin = Admin.create(a);
    }

    /** Reads what was committed since the last call, waiting up to {@code timeout} for it. */
    void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            committed.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
    }

    /** Committed records per channel seen so far. */
    Map<String, Integer> committed() {
        return Map.copyOf(committed);
    }

    int total() {
        return committed.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Whether every one of {@code channels} has at least {@code records} committed records. */
    boolean everyChannelHas(List<String> channels, int records) {
        return channels.stream().allMatch(c -> committed.getOrDefault(c, 0) >= records);
    }

    /**
     * The transactional ids starting with {@code prefix} whose transaction is open on the broker: records
     * written and neither committed nor aborted. A read_committed consumer cannot read past the first
     * record of an open transaction in a partition.
     */
    List<String> openTransactions(String prefix) throws Exception {
        return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                .all().get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith(prefix)).sorted().toList();
    }

    @Override
    public void close() {
        consumer.close();
        admin.close(Duration.ofSeconds(5));
    }
}
