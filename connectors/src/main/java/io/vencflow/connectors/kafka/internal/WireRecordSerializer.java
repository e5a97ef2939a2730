package io.vencflow.connectors.kafka.internal;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.wire.FrameRecords;
import io.vencflow.core.wire.NalRecords;
import io.vencflow.core.wire.WireRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns frames or access units into producer records of the wire format. The partition is left to
 * Kafka's partitioner, which hashes the key (the channel): one channel, one partition, in order.
 */
public final class WireRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, WireRecord> encoder;

    private WireRecordSerializer(String topic, SerializableFunction<T, WireRecord> encoder) {
        this.topic = topic;
        this.encoder = encoder;
    }

    public static WireRecordSerializer<Frame> frames(String topic) {
        return new WireRecordSerializer<>(topic, FrameRecords::encode);
    }

    public static WireRecordSerializer<EncodedFrame> accessUnits(String topic) {
        return new WireRecordSerializer<>(topic, NalRecords::encode);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        // The record's timestamp is left to the producer (now): capture times travel in vf-pts-us, and a
        // replayed clip's old capture times would make the broker's time-based retention delete it at once.
        return toProducerRecord(topic, encoder.apply(element));
    }

    /** The producer record of a wire record; the arrays are handed over without copies. */
    public static ProducerRecord<byte[], byte[]> toProducerRecord(String topic, WireRecord r) {
        List<Header> headers = new ArrayList<>(r.headers().size());
        for (Map.Entry<String, byte[]> e : r.headers().entrySet()) {
            headers.add(new RecordHeader(e.getKey(), e.getValue()));
        }
        return new ProducerRecord<>(topic, null, null, r.key(), r.value(), headers);
    }
}
