package io.vencflow.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vencflow.connectors.kafka.EmbeddedKafka;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.jobs.internal.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vencflow.jar on a real Flink cluster: a standalone session cluster of separate JVMs on 127.0.0.1 (a
 * JobManager and two TaskManagers, Flink's own entry points, Flink's runtime only on their class path)
 * runs {@code encode-stream} submitted from the jar by {@code flink run} (Flink's command line client in
 * its own JVM, through the cluster's REST endpoint), against a Kafka broker in the test's JVM. A
 * TaskManager that runs the job is killed with SIGKILL mid-job; the job recovers on the other from its
 * latest checkpoint and finishes, and the NAL topic, read_committed, holds every frame of every channel
 * exactly once and decodes.
 */
class StandaloneClusterIT {
    private static final int CHANNELS = 4;
    private static final int FRAMES = 150;
    private static final int PARALLELISM = 2;
    private static final List<String> CAMERAS = IntStream.range(0, CHANNELS).mapToObj(i -> "cam" + i).toList();
    private static final String FRAME_TOPIC = "frames-cluster";
    private static final String NAL_TOPIC = "nal-cluster";
    private static final String TRANSACTION_PREFIX = "vencflow-encode-stream-" + NAL_TOPIC;
    private static final Duration CLUSTER_START = Duration.ofSeconds(90);
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration KILL_WINDOW = Duration.ofSeconds(150);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(240);

    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        admin = kafka.admin();
    }

    @AfterAll
    static void stopKafka() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void encodeStreamFromTheJarOnAStandaloneClusterRecoversFromAKilledTaskManagerWithEveryFrameOnceInTheNalTopic(
            @TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("vencflow.jar", "target/vencflow.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after `package` (mvn verify)");
        kafka.createTopic(FRAME_TOPIC, CHANNELS);
        kafka.createTopic(NAL_TOPIC, CHANNELS);
        FrameTopics.fill(admin, kafka.bootstrapServers(), FRAME_TOPIC, CHANNELS, FRAMES, "640x360");
        Path state = dir.resolve("state");
        int total = CHANNELS * FRAMES;

        long startNanos = System.nanoTime();
        try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), jar, 2, PARALLELISM,
                CLUSTER_START)) {
            System.out.printf("standalone cluster (JobManager, 2 TaskManagers) up in %.1f s%n",
                    (System.nanoTime() - startNanos) / 1e9);
            try {
                run(cluster, jar, state, total);
            } catch (Throwable t) {
                System.out.println(cluster.logs(60));
                throw t;
            }
        }
    }

    private void run(StandaloneCluster cluster, Path jar, Path state, int total) throws Exception {
        // `flink run --detached --class io.vencflow.jobs.EncodeStreamJob vencflow.jar <flags>`: Flink's command
        // line client (CliFrontend, what the flink script starts) in its own JVM with the cluster's lib/ as its
        // class path. The job's main builds the dataflow from the jar's classes, checks the broker, and the
        // client submits the dataflow with the jar to the cluster's REST endpoint.
        List<String> args = new ArrayList<>(List.of("run", "--detached", "--class", "io.vencflow.jobs.EncodeStreamJob",
                jar.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--input-topic", FRAME_TOPIC,
                "--output-topic", NAL_TOPIC, "--state-dir", state.toString(), "--checkpoint-interval", "1s",
                "--channels", Integer.toString(CHANNELS), "--parallelism", Integer.toString(PARALLELISM),
                "--bounded", "--fps", "30", "--preset", "medium", "--gop", "1000"));
        JobID id;
        try (JavaProcess flinkRun = JavaProcess.start("flink-run", cluster.dir(), cluster.classPath(),
                clientJvmArgs(), "org.apache.flink.client.cli.CliFrontend", args,
                Map.of("FLINK_CONF_DIR", cluster.configDir().toString()))) {
            assertEquals(0, flinkRun.awaitExit(SUBMIT_TIMEOUT), "flink run submits the job\n" + flinkRun.tail(80));
            Matcher submitted = Pattern.compile("submitted job ([0-9a-f]{32})").matcher(flinkRun.output());
            assertTrue(submitted.find(), "encode-stream names the job it submitted:\n" + flinkRun.output());
            id = JobID.fromHexString(submitted.group(1));
        }

        try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(cluster.clientConfiguration(),
                StandaloneClusterId.getInstance());
                NalTopicWatch watch = new NalTopicWatch(kafka.bootstrapServers(), NAL_TOPIC)) {

            // Kill a TaskManager running the job once a checkpoint has completed, every channel has committed a
            // tenth of its frames, and later ones sit in open transactions.
            long deadline = System.nanoTime() + KILL_WINDOW.toNanos();
            String victim = null;
            while (victim == null) {
                watch.poll(Duration.ofMillis(200));
                JobStatus status = client.getJobStatus(id).get(30, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    fail("the job ended (" + status + ") before a TaskManager could be killed; committed "
                            + watch.committed());
                }
                if (System.nanoTime() > deadline) {
                    fail("no moment to kill within " + KILL_WINDOW + ": job " + status + ", checkpoint "
                            + completedCheckpoint(state) + ", committed " + watch.committed());
                }
                if (status == JobStatus.RUNNING && completedCheckpoint(state).isPresent()
                        && watch.everyChannelHas(CAMERAS, FRAMES / 10)
                        && !watch.openTransactions(TRANSACTION_PREFIX).isEmpty()) {
                    victim = cluster.slotsInUse().entrySet().stream().filter(e -> e.getValue() > 0)
                            .map(Map.Entry::getKey).findFirst().orElse(null);
                }
            }
            Map<String, Integer> slots = cluster.slotsInUse();
            int exit = cluster.taskManager(victim).kill();
            long killedAtNanos = System.nanoTime();
            assertEquals(137, exit, victim + " was killed by SIGKILL (128 + 9)");
            watch.poll(Duration.ofMillis(200));
            Map<String, Integer> beforeKill = watch.committed();
            assertTrue(watch.total() < total, "killed mid-job: " + beforeKill);
            System.out.printf("killed %s (slots in use %s) with %d of %d records committed %s, checkpoint %s%n",
                    victim, slots, watch.total(), total, beforeKill, completedCheckpoint(state).orElseThrow());

            // Recovery: records get committed again, by the job restarted from its checkpoint on the other
            // TaskManager.
            int committedAtKill = watch.total();
            double recoveredAfter = -1;
            long resultDeadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
            var result = client.requestJobResult(id);
            while (!result.isDone()) {
                if (System.nanoTime() > resultDeadline) {
                    fail("the job did not finish within " + JOB_TIMEOUT + " of the kill; committed "
                            + watch.committed());
                }
                watch.poll(Duration.ofMillis(200));
                if (recoveredAfter < 0 && watch.total() > committedAtKill) {
                    recoveredAfter = (System.nanoTime() - killedAtNanos) / 1e9;
                }
            }
            JobResult jobResult = result.get();
            double finishedAfter = (System.nanoTime() - killedAtNanos) / 1e9;
            assertTrue(jobResult.isSuccess(), "the job finished after the failover: " + jobResult.getJobStatus()
                    + jobResult.getSerializedThrowable().map(t -> "\n" + t.getFullStringifiedStackTrace()).orElse(""));
            JsonNode failures = cluster.rest("/jobs/" + id + "/exceptions").path("exceptionHistory").path("entries");
            assertTrue(failures.size() >= 1, "the job's exception history shows the failover: " + failures);
            System.out.printf("job recovered on the other TaskManager: first commit %.1f s after the kill, finished "
                    + "after %.1f s; failures in its history: %d, first %s%n", recoveredAfter, finishedAfter,
                    failures.size(), failures.get(0).path("exceptionName").asText());
            assertEquals(List.of(), watch.openTransactions(TRANSACTION_PREFIX),
                    "the restarted sink aborted the transactions of the killed TaskManager");

            Map<String, List<EncodedFrame>> nal = NalTopicChecks.assertEveryFrameOnceAndDecodable(
                    kafka.bootstrapServers(), NAL_TOPIC, CAMERAS, FRAMES);
            List<List<Long>> restarts = new ArrayList<>();
            for (String c : CAMERAS) {
                restarts.add(NalTopicChecks.assertRestoredEncoderStartsWithAnIdr(c, nal.get(c),
                        beforeKill.getOrDefault(c, 0), FRAMES));
            }
            System.out.printf("restored encoders took over at sequences %s; %d records read_committed, every frame "
                    + "once, decoded without errors%n", restarts, nal.values().stream().mapToInt(List::size).sum());
        }
    }

    private static List<String> clientJvmArgs() {
        List<String> args = new ArrayList<>(List.of("-Xmx512m"));
        args.addAll(StandaloneCluster.JAVA_17_OPTS);
        return args;
    }

    private static Optional<Path> completedCheckpoint(Path state) {
        Path checkpoints = state.resolve("checkpoints");
        return Files.isDirectory(checkpoints) ? CheckpointStore.latest(checkpoints) : Optional.empty();
    }
}
