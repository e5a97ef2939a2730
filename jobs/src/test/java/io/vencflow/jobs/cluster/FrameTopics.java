package io.vencflow.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vencflow.jobs.cli.Vencflow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;

/** Fills a frame topic the way a user would: {@code vencflow ingest}, here in the test's JVM (a local MiniCluster). */
final class FrameTopics {
    private FrameTopics() {
    }

    /**
     * Runs {@code vencflow ingest} with generated cameras, unpaced, {@code frames} per channel, and checks
     * that the topic then holds {@code channels * frames} records.
     */
    static void fill(Admin admin, String bootstrapServers, String topic, int channels, int frames, String size)
            throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = Vencflow.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("ingest", "--source", "sensor", "--channels", Integer.toString(channels), "--size", size,
                "--frames", Integer.toString(frames), "--unpaced", "--bootstrap-servers", bootstrapServers,
                "--topic", topic);
        assertEquals(0, code, "vencflow ingest failed:\n" + out);
        assertEquals((long) channels * frames, records(admin, topic), "records in " + topic + " after ingest");
    }

    /** Records in a topic without transactions: the sum of its partitions' end offsets. */
    static long records(Admin admin, String topic) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> latest = d.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(o -> o.offset()).sum();
    }
}
