package io.vencflow.connectors.kafka.internal;

import io.vencflow.connectors.kafka.DeadLetter;
import io.vencflow.connectors.kafka.FrameOrDeadLetter;
import io.vencflow.operators.serialization.RecordTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Type information of the Kafka connector's records. */
public final class KafkaTypes {
    public static final TypeInformation<DeadLetter> DEAD_LETTER =
            RecordTypeInfo.of(DeadLetter.class, DeadLetterSerializer.INSTANCE);

    public static final TypeInformation<FrameOrDeadLetter> FRAME_OR_DEAD_LETTER =
            RecordTypeInfo.of(FrameOrDeadLetter.class, FrameOrDeadLetterSerializer.INSTANCE);

    private KafkaTypes() {
    }
}
