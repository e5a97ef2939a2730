package io.vencflow.connectors.kafka.internal;

import io.vencflow.connectors.internal.ImmutableRecordSerializer;
import io.vencflow.connectors.kafka.DeadLetter;
import io.vencflow.operators.serialization.RecordSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link DeadLetter}, layout version 1:
 *
 * <pre>
 * UTF     topic
 * int     partition
 * long    offset
 * boolean key present, then UTF key
 * UTF     reason
 * UTF     message
 * </pre>
 */
public final class DeadLetterSerializer extends ImmutableRecordSerializer<DeadLetter> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final DeadLetterSerializer INSTANCE = new DeadLetterSerializer();

    @Override
    public DeadLetter createInstance() {
        return new DeadLetter("none", 0, 0, null, "none", "");
    }

    @Override
    public void serialize(DeadLetter d, DataOutputView out) throws IOException {
        out.writeUTF(d.topic());
        out.writeInt(d.partition());
        out.writeLong(d.offset());
        out.writeBoolean(d.key() != null);
        if (d.key() != null) {
            out.writeUTF(d.key());
        }
        out.writeUTF(d.reason());
        out.writeUTF(d.message());
    }

    @Override
    public DeadLetter deserialize(DataInputView in) throws IOException {
        String topic = in.readUTF();
        int partition = in.readInt();
        long offset = in.readLong();
        String key = in.readBoolean() ? in.readUTF() : null;
        String reason = in.readUTF();
        String message = in.readUTF();
        return new DeadLetter(topic, partition, offset, key, reason, message);
    }

    @Override
    public TypeSerializerSnapshot<DeadLetter> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Snapshot of {@link DeadLetterSerializer}: the layout version only. */
    public static final class Snapshot extends RecordSerializerSnapshot<DeadLetter> {
        public Snapshot() {
        }

        @Override
        protected int currentVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<DeadLetter> restoreSerializer(int version) {
            return INSTANCE;
        }

        @Override
        protected String recordName() {
            return "DeadLetter";
        }
    }
}
