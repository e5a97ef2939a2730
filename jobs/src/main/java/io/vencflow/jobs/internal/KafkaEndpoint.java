package io.vencflow.jobs.internal;

import io.vencflow.connectors.kafka.EmbeddedKafka;
import io.vencflow.connectors.kafka.KafkaVideo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka a job uses: the one given by {@code --bootstrap-servers}, checked reachable before the
 * job starts (a clear error within seconds instead of a job that hangs), or an embedded broker on
 * 127.0.0.1 for local runs without one. Closing it stops the embedded broker.
 */
public final class KafkaEndpoint implements AutoCloseable {
    /** How long a job waits for the given Kafka to answer before it gives up. */
    public static final long REACH_TIMEOUT_MS = 5_000;

    private final String bootstrapServers;
    private final EmbeddedKafka embedded;

    private KafkaEndpoint(String bootstrapServers, EmbeddedKafka embedded) {
        this.bootstrapServers = bootstrapServers;
        this.embedded = embedded;
    }

    /**
     * @param bootstrapServers as given on the command line, or null
     * @param local whether the job runs in this JVM (only then can an embedded broker serve it)
     * @throws IllegalArgumentException when Kafka cannot be reached, or none is given on a cluster
     */
    public static KafkaEndpoint open(String bootstrapServers, boolean local, PrintWriter out) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            if (!local) {
                throw new IllegalArgumentException("--bootstrap-servers is required on a cluster: an embedded broker "
                        + "would live in the client only");
            }
            EmbeddedKafka kafka = EmbeddedKafka.start();
            out.println("Kafka: embedded broker at " + kafka.bootstrapServers() + " (lives as long as this run)");
            out.flush();
            return new KafkaEndpoint(kafka.bootstrapServers(), kafka);
        }
        KafkaEndpoint endpoint = new KafkaEndpoint(bootstrapServers.trim(), null);
        endpoint.checkReachable();
        return endpoint;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean embedded() {
        return embedded != null;
    }

    private void checkReachable() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrapServers + " within "
                    + REACH_TIMEOUT_MS / 1000 + " s; check --bootstrap-servers and that the broker runs");
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrapServers + ": "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Kafka at " + bootstrapServers);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalArgumentException("--bootstrap-servers '" + bootstrapServers + "': " + e.getMessage());
        }
    }

    /** An admin client, with short timeouts so an unreachable broker fails fast. */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
        return Admin.create(p);
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions and room for video records when it does
     * not exist; an existing topic is left as it is.
     */
    public void ensureTopic(String topic, int partitions) {
        if (embedded != null) {
            embedded.createTopic(topic, partitions);
            return;
        }
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (existing.contains(topic)) {
                return;
            }
            NewTopic t = new NewTopic(topic, java.util.Optional.of(partitions), java.util.Optional.empty())
                    .configs(Map.of("max.message.bytes", Integer.toString(KafkaVideo.MAX_RECORD_BYTES)));
            admin.createTopics(List.of(t)).all().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + " at " + bootstrapServers + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not create topic " + topic + " within "
                    + REACH_TIMEOUT_MS / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic);
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
