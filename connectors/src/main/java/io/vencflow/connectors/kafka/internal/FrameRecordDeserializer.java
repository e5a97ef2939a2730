package io.vencflow.connectors.kafka.internal;

import io.vencflow.connectors.kafka.DeadLetter;
import io.vencflow.connectors.kafka.FrameOrDeadLetter;
import io.vencflow.core.wire.FrameRecords;
import io.vencflow.core.wire.MalformedRecordException;
import io.vencflow.core.wire.WireRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes frame-topic records and never throws for a bad one: each record gives a frame, or a dead
 * letter with the reason and the record's topic, partition and offset. One bad record cannot stop the
 * job, and the records around it are not affected.
 */
public final class FrameRecordDeserializer implements KafkaRecordDeserializationSchema<FrameOrDeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FrameOrDeadLetter> out) {
        WireRecord wire = toWireRecord(record);
        try {
            out.collect(FrameOrDeadLetter.of(FrameRecords.decode(wire)));
        } catch (MalformedRecordException e) {
            out.collect(FrameOrDeadLetter.of(new DeadLetter(record.topic(), record.partition(), record.offset(),
                    wire.keyText(), e.problem().id(), e.getMessage())));
        }
    }

    /** The wire record of a consumer record; a header that repeats counts with its last value. */
    public static WireRecord toWireRecord(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value());
        }
        return new WireRecord(record.key(), record.value(), headers);
    }

    @Override
    public TypeInformation<FrameOrDeadLetter> getProducedType() {
        return KafkaTypes.FRAME_OR_DEAD_LETTER;
    }
}
