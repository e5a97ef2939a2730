package io.vencflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.jobs.testing.CommandRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every command does with --help, wrong flags and values, and a Kafka that is not there. */
class CommandLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "ingest", "encode-stream", "record", "serve", "analyze", "encode", "bench"})
    void everyCommandDescribesItsFlagsWithTheirDefaults(String command) {
        CommandRun r = new CommandRun();
        assertEquals(0, r.run(command, "--help"), r.err());
        assertTrue(r.out().startsWith("Usage: vencflow " + command), r.out());
        assertTrue(r.out().contains("(default: "), command + " shows no defaults:\n" + r.out());
    }

    @Test
    void theTopLevelHelpListsEveryCommand() {
        CommandRun r = new CommandRun();
        assertEquals(0, r.run("--help"));
        for (String c : new String[] {"demo", "ingest", "encode-stream", "record", "serve", "analyze", "encode", "bench"}) {
            assertTrue(r.out().contains("  " + c + " "), c + " missing from:\n" + r.out());
        }
    }

    @Test
    void anUnknownFlagExitsNonZeroNamingIt() {
        CommandRun r = new CommandRun();
        assertEquals(2, r.run("encode-stream", "--bootstrap-server", "x:1"));
        assertTrue(r.err().contains("Unknown options: '--bootstrap-server'"), r.err());
    }

    @Test
    void aBadValueExitsNonZeroNamingTheFlagAndTheValue() {
        CommandRun r = new CommandRun();
        assertEquals(2, r.run("ingest", "--size", "big"));
        assertTrue(r.err().contains("Invalid value for option '--size': 'big' is not a size"), r.err());
        r = new CommandRun();
        assertEquals(2, r.run("record", "--checkpoint-interval", "soon", "--out", "x"));
        assertTrue(r.err().contains("'soon' is not a duration"), r.err());
        r = new CommandRun();
        assertEquals(1, r.run("ingest", "--source", "camera"));
        assertTrue(r.err().contains("--source 'camera' is not sensor, file or kafka"), r.err());
        r = new CommandRun();
        assertEquals(1, r.run("encode-stream", "--delivery", "twice", "--bootstrap-servers", "127.0.0.1:1"));
        assertTrue(r.err().contains("--delivery 'twice' is not exactly-once or at-least-once"), r.err());
    }

    @Test
    void anUnreachableKafkaIsAClearErrorWithinSecondsNotAHang() {
        long t0 = System.nanoTime();
        CommandRun r = new CommandRun();
        assertEquals(1, r.start("encode-stream", "--bootstrap-servers", "127.0.0.1:1").exitCode(Duration.ofSeconds(30)));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertTrue(r.err().contains("cannot reach Kafka at 127.0.0.1:1"), r.err());
        assertTrue(seconds < 15, "took " + seconds + " s");
    }

    @Test
    void analyzeNeedsATopicOrFiles() {
        CommandRun r = new CommandRun();
        assertEquals(1, r.run("analyze"));
        assertTrue(r.err().contains("give --bootstrap-servers (and --topic) to read a NAL topic, or --input files"), r.err());
    }
}
