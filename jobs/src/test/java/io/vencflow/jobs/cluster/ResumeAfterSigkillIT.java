package io.vencflow.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vencflow encode-stream} in its own JVM against an external Kafka broker (in the test's JVM),
 * killed with SIGKILL mid-run and started again with the same {@code --state-dir}: it resumes from its
 * latest completed checkpoint, and the NAL topic, read_committed, holds every frame of every channel
 * exactly once and decodes.
 */
class ResumeAfterSigkillIT {
    private static final int CHANNELS = 4;
    private static final int FRAMES = 150;
    private static final List<String> CAMERAS = IntStream.range(0, CHANNELS).mapToObj(i -> "cam" + i).toList();
    private static final String FRAME_TOPIC = "frames-sigkill";
    private static final String NAL_TOPIC = "nal-sigkill";
    /** Transactional ids of encode-stream's NAL sink: stable across runs, so a new run can abort the old ones. */
    private static final String TRANSACTION_PREFIX = "vencflow-encode-stream-" + NAL_TOPIC;
    private static final Duration KILL_WINDOW = Duration.ofSeconds(120);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(180);

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
    void encodeStreamKilledWithSigkillMidRunAndStartedAgainWithTheSameStateDirLeavesEveryFrameOnceInTheNalTopic(
            @TempDir Path dir) throws Exception {
        kafka.createTopic(FRAME_TOPIC, CHANNELS);
        kafka.createTopic(NAL_TOPIC, CHANNELS);
        // 640x360 at x264's "medium" preset: a few seconds of encoding on two cores, long enough to kill.
        FrameTopics.fill(admin, kafka.bootstrapServers(), FRAME_TOPIC, CHANNELS, FRAMES, "640x360");
        Path state = dir.resolve("state");
        List<String> args = List.of("encode-stream", "--bootstrap-servers", kafka.bootstrapServers(),
                "--input-topic", FRAME_TOPIC, "--output-topic", NAL_TOPIC, "--state-dir", state.toString(),
                "--checkpoint-interval", "500ms", "--channels", Integer.toString(CHANNELS), "--parallelism", "2",
                "--bounded", "--fps", "30", "--preset", "medium", "--gop", "1000");
        int total = CHANNELS * FRAMES;

        Map<String, Integer> beforeKill;
        List<String> openAtKill;
        long killedAtNanos;
        try (NalTopicWatch watch = new NalTopicWatch(kafka.bootstrapServers(), NAL_TOPIC);
                JavaProcess first = encodeStream("encode-stream-1", dir, args)) {
            // Kill once a checkpoint has completed, every channel has committed a tenth of its frames, and the
            // records since that checkpoint sit in an open transaction: mid-run, with something to abort.
            long deadline = System.nanoTime() + KILL_WINDOW.toNanos();
            List<String> open = List.of();
            while (true) {
                watch.poll(Duration.ofMillis(100));
                if (!first.isAlive()) {
                    fail("the first run ended before it could be killed (" + watch.total() + " of " + total
                            + " records committed)\n" + first.tail(60));
                }
                if (System.nanoTime() > deadline) {
                    fail("no moment to kill within " + KILL_WINDOW + ": checkpoint " + completedCheckpoint(state)
                            + ", committed " + watch.committed() + ", open transactions " + open + "\n"
                            + first.tail(60));
                }
                if (completedCheckpoint(state).isPresent() && watch.everyChannelHas(CAMERAS, FRAMES / 10)) {
                    open = watch.openTransactions(TRANSACTION_PREFIX);
                    if (!open.isEmpty()) {
                        break;
                    }
                }
            }
            int exit = first.kill();
            killedAtNanos = System.nanoTime();
            assertEquals(137, exit, "exit code of the first run: killed by SIGKILL (128 + 9)");
            watch.poll(Duration.ofMillis(200));
            beforeKill = watch.committed();
            assertTrue(watch.total() < total, "the first run was killed mid-run: " + beforeKill);
            openAtKill = watch.openTransactions(TRANSACTION_PREFIX);
            assertTrue(!openAtKill.isEmpty(), "the killed run left open transactions behind");
        }
        System.out.printf("killed the first run (SIGKILL) with %d of %d records committed %s, checkpoint %s, "
                + "open transactions %s%n", beforeKill.values().stream().mapToInt(Integer::intValue).sum(), total,
                beforeKill, completedCheckpoint(state).orElseThrow(), openAtKill);

        String output;
        try (JavaProcess second = encodeStream("encode-stream-2", dir, args)) {
            int exit = second.awaitExit(RUN_TIMEOUT);
            output = second.output();
            assertEquals(0, exit, "the second run ends by itself (bounded) and succeeds\n" + second.tail(80));
        }
        double recoverySeconds = (System.nanoTime() - killedAtNanos) / 1e9;
        assertTrue(output.contains("resuming from " + state.toAbsolutePath().resolve("checkpoints")),
                "the second run resumes from a checkpoint of the state folder:\n" + output);

        try (NalTopicWatch after = new NalTopicWatch(kafka.bootstrapServers(), NAL_TOPIC)) {
            assertEquals(List.of(), after.openTransactions(TRANSACTION_PREFIX),
                    "the second run aborted the transactions the killed one left open");
        }
        Map<String, List<EncodedFrame>> nal = NalTopicChecks.assertEveryFrameOnceAndDecodable(kafka.bootstrapServers(),
                NAL_TOPIC, CAMERAS, FRAMES);
        List<Long> resumedAt = new ArrayList<>();
        for (String c : CAMERAS) {
            List<Long> restarts = NalTopicChecks.assertRestoredEncoderStartsWithAnIdr(c, nal.get(c),
                    beforeKill.getOrDefault(c, 0), FRAMES);
            assertEquals(1, restarts.size(), c + ": one restore, one restored encoder: " + restarts);
            resumedAt.add(restarts.get(0));
        }
        System.out.printf("second run resumed at sequences %s and finished %.1f s after the kill; %d records "
                + "read_committed, every frame once, decoded without errors%n", resumedAt, recoverySeconds,
                nal.values().stream().mapToInt(List::size).sum());
    }

    private static JavaProcess encodeStream(String name, Path dir, List<String> args) throws Exception {
        return JavaProcess.start(name, dir, JavaProcess.testClassPath(), List.of("-Xmx1g"),
                "io.vencflow.jobs.cli.Vencflow", args);
    }

    /** The newest checkpoint with its _metadata written, the way the job itself finds it. */
    private static Optional<Path> completedCheckpoint(Path state) {
        Path checkpoints = state.resolve("checkpoints");
        return Files.isDirectory(checkpoints) ? CheckpointStore.latest(checkpoints) : Optional.empty();
    }
}
