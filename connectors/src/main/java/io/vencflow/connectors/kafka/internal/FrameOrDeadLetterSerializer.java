package io.vencflow.connectors.kafka.internal;

import io.vencflow.connectors.internal.ImmutableRecordSerializer;
import io.vencflow.connectors.kafka.FrameOrDeadLetter;
import io.vencflow.operators.serialization.FrameSerializer;
import io.vencflow.operators.serialization.RecordSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link FrameOrDeadLetter}, layout version 1: a tag byte (1 frame, 2 dead letter), then
 * the frame in {@link FrameSerializer}'s layout or the dead letter in {@link DeadLetterSerializer}'s.
 */
public final class FrameOrDeadLetterSerializer extends ImmutableRecordSerializer<FrameOrDeadLetter> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final FrameOrDeadLetterSerializer INSTANCE = new FrameOrDeadLetterSerializer();

    private static final byte FRAME = 1;
    private static final byte DEAD_LETTER = 2;

    @Override
    public FrameOrDeadLetter createInstance() {
        return FrameOrDeadLetter.of(DeadLetterSerializer.INSTANCE.createInstance());
    }

    @Override
    public void serialize(FrameOrDeadLetter r, DataOutputView out) throws IOException {
        if (r.isFrame()) {
            out.writeByte(FRAME);
            FrameSerializer.INSTANCE.serialize(r.frame(), out);
        } else {
            out.writeByte(DEAD_LETTER);
            DeadLetterSerializer.INSTANCE.serialize(r.deadLetter(), out);
        }
    }

    @Override
    public FrameOrDeadLetter deserialize(DataInputView in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case FRAME -> FrameOrDeadLetter.of(FrameSerializer.INSTANCE.deserialize(in));
            case DEAD_LETTER -> FrameOrDeadLetter.of(DeadLetterSerializer.INSTANCE.deserialize(in));
            default -> throw new IOException("record tag " + tag + " is unknown; expected 1 (frame) or 2 (dead letter)");
        };
    }

    @Override
    public TypeSerializerSnapshot<FrameOrDeadLetter> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Snapshot of {@link FrameOrDeadLetterSerializer}: the layout version only. */
    public static final class Snapshot extends RecordSerializerSnapshot<FrameOrDeadLetter> {
        public Snapshot() {
        }

        @Override
        protected int currentVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<FrameOrDeadLetter> restoreSerializer(int version) {
            return INSTANCE;
        }

        @Override
        protected String recordName() {
            return "FrameOrDeadLetter";
        }
    }
}
