package io.vencflow.connectors.kafka.internal;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded {@link KafkaSource} of one topic that also ends after the job was restored from a checkpoint
 * or savepoint, or after a failover that reset the source to a checkpoint.
 *
 * <p>Flink's Kafka enumerator (flink-connector-kafka 5.0.0-2.2) tells its readers "no more splits" only
 * once a partition discovery found partitions to add. A restored enumerator already holds every
 * partition, so its discovery finds no change, and the readers read up to their stopping offsets and
 * then wait for ever (FLINK-31006, FLINK-33466). Here a restored enumerator lists the topic's partitions
 * itself: when the restored splits cover them all, no split will come, and it tells every reader so,
 * after the Kafka enumerator has handed it the splits it still had to give. When the topic has new
 * partitions, the Kafka enumerator assigns them and ends the readers itself.
 *
 * <p>State and serializers are the Kafka source's own: checkpoints move between the two freely.
 */
public final class BoundedKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;
    private static final long LIST_TIMEOUT_MS = 30_000;

    private final KafkaSource<T> kafka;
    private final String bootstrapServers;
    private final String topic;

    /**
     * @param kafka a source of {@code topic} alone, built with {@code setBounded(...)}
     */
    public BoundedKafkaSource(KafkaSource<T> kafka, String bootstrapServers, String topic) {
        if (kafka.getBoundedness() != Boundedness.BOUNDED) {
            throw new IllegalArgumentException("the Kafka source of " + topic + " is not bounded");
        }
        this.kafka = kafka;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext readerContext) throws Exception {
        return kafka.createReader(readerContext);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        // A fresh start discovers every partition as new: the Kafka enumerator ends its readers itself.
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws IOException {
        Set<TopicPartition> restored = new HashSet<>();
        state.assignedSplits().forEach(s -> restored.add(s.getTopicPartition()));
        state.unassignedSplits().forEach(s -> restored.add(s.getTopicPartition()));
        return new RestoredEnumerator(kafka.restoreEnumerator(context, state), context, restored, bootstrapServers,
                topic);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    /** The Kafka enumerator, plus "no more splits" once the restored splits are known to be all. */
    private static final class RestoredEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        private static final Logger LOG = LoggerFactory.getLogger(BoundedKafkaSource.class);

        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka;
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;
        private final Set<TopicPartition> restored;
        private final String bootstrapServers;
        private final String topic;
        /** Set in the coordinator thread, like every call here. */
        private boolean noMoreSplits;

        RestoredEnumerator(SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka,
                SplitEnumeratorContext<KafkaPartitionSplit> context, Set<TopicPartition> restored,
                String bootstrapServers, String topic) {
            this.kafka = kafka;
            this.context = context;
            this.restored = restored;
            this.bootstrapServers = bootstrapServers;
            this.topic = topic;
        }

        @Override
        public void start() {
            kafka.start();
            context.callAsync(this::partitions, this::checkRestoredSplits);
        }

        private Set<TopicPartition> partitions() throws Exception {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            try (Admin admin = Admin.create(p)) {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(LIST_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
                return d.partitions().stream().map(i -> new TopicPartition(topic, i.partition()))
                        .collect(Collectors.toSet());
            }
        }

        private void checkRestoredSplits(Set<TopicPartition> partitions, Throwable error) {
            if (error != null) {
                throw new FlinkRuntimeException("cannot list the partitions of " + topic + " at " + bootstrapServers,
                        error);
            }
            if (!restored.containsAll(partitions)) {
                LOG.info("{} has partitions the restored source did not read yet; the Kafka enumerator assigns them",
                        topic);
                return;
            }
            noMoreSplits = true;
            LOG.info("restored bounded source of {}: all {} partitions assigned, no more splits for readers {}", topic,
                    partitions.size(), context.registeredReaders().keySet());
            context.registeredReaders().keySet().forEach(context::signalNoMoreSplits);
        }

        @Override
        public void addReader(int subtaskId) {
            kafka.addReader(subtaskId); // first the splits the Kafka enumerator still holds for it
            if (noMoreSplits) {
                context.signalNoMoreSplits(subtaskId);
            }
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            kafka.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            kafka.addSplitsBack(splits, subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return kafka.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            kafka.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            kafka.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() throws IOException {
            kafka.close();
        }
    }
}
