package io.vencflow.connectors.kafka.internal;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.wire.MalformedRecordException;
import io.vencflow.core.wire.NalRecords;
import io.vencflow.operators.VideoTypes;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes NAL-topic records to access units. A record that is not one is skipped (logged with its
 * topic, partition and offset, and counted in {@code malformedNalRecords}); the job goes on, and the
 * channel's decoders resume at its next IDR.
 */
public final class NalRecordDeserializer implements KafkaRecordDeserializationSchema<EncodedFrame> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NalRecordDeserializer.class);

    private transient Counter malformed;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        malformed = context.getMetricGroup().counter("malformedNalRecords");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<EncodedFrame> out) {
        try {
            out.collect(NalRecords.decode(FrameRecordDeserializer.toWireRecord(record)));
        } catch (MalformedRecordException e) {
            if (malformed != null) {
                malformed.inc();
            }
            LOG.warn("skipped NAL record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public TypeInformation<EncodedFrame> getProducedType() {
        return VideoTypes.ENCODED_FRAME;
    }
}
