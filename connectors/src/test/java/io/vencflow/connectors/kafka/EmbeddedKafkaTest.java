package io.vencflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void startsOnLoopbackTakesA1080pFrameSizedRecordAndShutsDownCleanly() throws Exception {
        long startNanos = System.nanoTime();
        String bootstrap;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            long startedMs = (System.nanoTime() - startNanos) / 1_000_000;
            bootstrap = kafka.bootstrapServers();
            assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
            assertTrue(startedMs < 15_000, "started in " + startedMs + " ms");
            System.out.println("embedded Kafka started in " + startedMs + " ms");
            kafka.createTopic("big", 2);

            byte[] frame = new byte[1920 * 1080 * 3 / 2];
            new Random(7).nextBytes(frame);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("big", "cam0".getBytes(), frame)).get();
            }
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("big"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
            }
            assertEquals(1, got.size());
            assertArrayEquals(frame, got.get(0).value());
            try (var admin = kafka.admin()) {
                var topic = new ConfigResource(ConfigResource.Type.TOPIC, "big");
                assertEquals(Integer.toString(KafkaVideo.MAX_RECORD_BYTES), admin.describeConfigs(List.of(topic)).all()
                        .get().get(topic).get("max.message.bytes").value());
            }
        }
        // Closed: nothing answers on the port any more.
        try (java.net.Socket s = new java.net.Socket()) {
            String[] hp = bootstrap.split(":");
            boolean refused = false;
            try {
                s.connect(new java.net.InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 1000);
            } catch (java.io.IOException e) {
                refused = true;
            }
            assertTrue(refused, "the broker port " + bootstrap + " is closed after close()");
        }
    }
}
