package io.vencflow.connectors.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft broker and controller in one process) inside this JVM, on 127.0.0.1,
 * with its log in a temporary folder that {@link #close()} deletes. For tests and for
 * {@code vencflow demo}; a production job points at a real cluster instead.
 *
 * <p>It is set up for video records: {@code message.max.bytes} and {@code replica.fetch.max.bytes}
 * are {@link KafkaVideo#MAX_RECORD_BYTES}, so a 1920x1080 I420 frame (3.1 MB) fits, and
 * {@code transaction.max.timeout.ms} is {@value #TRANSACTION_MAX_TIMEOUT_MS} ms, above the
 * {@link KafkaVideo#DEFAULT_TRANSACTION_TIMEOUT_MS} the exactly-once sinks ask for. Internal topics have
 * one replica and one partition, so it starts in about two seconds.
 *
 * <p>Thread-safe. Ports: the broker and controller listeners take free ports picked at start (a start
 * that loses a port race tries again with others).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** The broker's upper bound on producer transaction timeouts (Kafka's default, 15 minutes). */
    public static final long TRANSACTION_MAX_TIMEOUT_MS = 900_000;

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 4;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Path logDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(Path logDir, KafkaRaftServer server, int brokerPort) {
        this.logDir = logDir;
        this.server = server;
        this.bootstrapServers = HOST + ":" + brokerPort;
    }

    /**
     * Formats a fresh log folder and starts the broker; returns once it accepts clients.
     *
     * @throws IllegalStateException when the broker does not start, with the cause
     */
    public static EmbeddedKafka start() {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("vencflow-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a log folder for the embedded Kafka", e);
            }
            int brokerPort = freePort();
            int controllerPort = freePort();
            KafkaRaftServer server = null;
            try {
                long startNanos = System.nanoTime();
                KafkaConfig config = KafkaConfig.fromProps(brokerProperties(dir, brokerPort, controllerPort), false);
                format(dir.toAbsolutePath().toString());
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                EmbeddedKafka kafka = new EmbeddedKafka(dir, server, brokerPort);
                kafka.awaitReady();
                LOG.info("embedded Kafka on {} started in {} ms", kafka.bootstrapServers,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                return kafka;
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("embedded Kafka start attempt {} of {} failed (ports {}/{}): {}", attempt, START_ATTEMPTS,
                        brokerPort, controllerPort, e.toString());
                if (server != null) {
                    stop(server);
                }
                deleteRecursively(dir);
            }
        }
        throw new IllegalStateException("the embedded Kafka did not start in " + START_ATTEMPTS + " attempts", last);
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates a topic with one replica whose {@code max.message.bytes} is
     * {@link KafkaVideo#MAX_RECORD_BYTES}, and waits until it has a leader. A topic that exists already
     * is left as it is.
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** {@link #createTopic(String, int)} with more topic configs (they win over the size setting). */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": " + partitions + " partitions; expected 1 or more");
        }
        Map<String, String> all = new HashMap<>();
        all.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
        all.putAll(configs);
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(all))).all()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e.getCause());
                }
            }
            awaitLeaders(admin, name, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " was not created within " + ADMIN_TIMEOUT, e);
        }
    }

    /** An admin client of this broker; the caller closes it. */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    /** Stops the broker and deletes its log folder. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(server);
        deleteRecursively(logDir);
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the embedded Kafka on " + bootstrapServers + " does not answer", e);
        }
    }

    private static void awaitLeaders(Admin admin, String topic, int partitions)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                if (description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                // not known yet: metadata is still propagating
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topic " + topic + " has no leader for all " + partitions + " partitions");
            }
            Thread.sleep(20);
        }
    }

    private static Properties brokerProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("process.roles", "broker,controller");
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("log.dirs", dir.toAbsolutePath().toString());
        // One node: every internal topic with one replica, and few partitions so they appear at once.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Video records: a 1080p I420 frame is 3.1 MB, beyond Kafka's 1 MB default.
        p.put("message.max.bytes", Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
        p.put("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT_MS));
        // Transactions left open by a killed job are aborted by the broker after their timeout; check often.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "10000");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("controlled.shutdown.enable", "false");
        return p;
    }

    /** Writes meta.properties and the bootstrap metadata (what {@code kafka-storage.sh format} does) into the one log folder. */
    private static void format(String logDir) {
        Formatter formatter = new Formatter()
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir)
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()));
        formatter.addDirectory(logDir);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the embedded Kafka's log folder " + logDir, e);
        }
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("embedded Kafka did not shut down cleanly", e);
        }
    }

    /** A port free at this moment; another process may take it before the broker binds it (then start retries). */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete the embedded Kafka's log folder {}: {}", dir, e.toString());
        }
    }
}
