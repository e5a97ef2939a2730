package io.vencflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaBuildersTest {

    @Test
    void exactlyOnceNeedsATransactionalIdPrefixAndSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaVideo.nalSink().bootstrapServers("127.0.0.1:9092").topic("nal").build());
        assertTrue(e.getMessage().startsWith("exactly-once needs a transactional id prefix"), e.getMessage());
        assertNotNull(KafkaVideo.nalSink().bootstrapServers("127.0.0.1:9092").topic("nal").atLeastOnce().build());
        assertNotNull(KafkaVideo.nalSink().bootstrapServers("127.0.0.1:9092").topic("nal").exactlyOnce("p").build());
    }

    @Test
    void theProducerIsSetUpForLargeRecordsAndATransactionTimeoutBelowTheBrokersMaximum() {
        Properties p = KafkaVideo.nalSink().bootstrapServers("h:1").topic("nal").exactlyOnce("p").producerProperties();
        assertEquals("16777216", p.getProperty("max.request.size"));
        assertEquals("67108864", p.getProperty("buffer.memory"));
        assertEquals("none", p.getProperty("compression.type"));
        assertEquals("600000", p.getProperty("transaction.timeout.ms"));
        assertTrue(Long.parseLong(p.getProperty("transaction.timeout.ms")) < EmbeddedKafka.TRANSACTION_MAX_TIMEOUT_MS);
        Properties atLeastOnce = KafkaVideo.frameSink().bootstrapServers("h:1").topic("f").producerProperties();
        assertEquals(null, atLeastOnce.getProperty("transaction.timeout.ms"));
        assertEquals("1000", KafkaVideo.frameSink().producerProperty("linger.ms", "1000").producerProperties()
                .getProperty("linger.ms"), "an explicit producer setting wins");
    }

    @Test
    void badSinkSettingsAreNamed() {
        assertEquals("bootstrap servers are not set; expected host:port[,host:port...]",
                assertThrows(IllegalArgumentException.class, () -> KafkaVideo.frameSink().topic("f").build()).getMessage());
        assertEquals("topic 'a/b' is not a Kafka topic name; expected 1-249 of [A-Za-z0-9._-]",
                assertThrows(IllegalArgumentException.class,
                        () -> KafkaVideo.frameSink().bootstrapServers("h:1").topic("a/b").build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaVideo.nalSink().bootstrapServers("h:1")
                .topic("n").exactlyOnce("p").transactionTimeoutMs(10).build()).getMessage()
                .startsWith("transaction timeout 10 ms is out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaVideo.frameSink().bootstrapServers("h:1")
                .topic("f").producerProperty("max.request.size", "1000").build()).getMessage()
                .startsWith("max.request.size 1000 is below 1 MiB"));
    }

    @Test
    void theFrameSourceNeedsAGroupAndFetchesLargeRecordsReadCommitted() {
        assertEquals("group id is not set; the source commits its offsets to a consumer group",
                assertThrows(IllegalArgumentException.class, () -> KafkaVideo.frameSource().bootstrapServers("h:1")
                        .topic("frames").build()).getMessage());
        Properties p = KafkaVideo.frameSource().consumerProperties();
        assertEquals("16777216", p.getProperty("max.partition.fetch.bytes"));
        assertEquals("67108864", p.getProperty("fetch.max.bytes"));
        assertEquals("read_committed", p.getProperty("isolation.level"));
        assertNotNull(KafkaVideo.frameSource().bootstrapServers("h:1").topic("frames").groupId("g").bounded(true).build());
    }
}
