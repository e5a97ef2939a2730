package io.vencflow.operators.serialization;

import io.vencflow.core.frame.Frame;
import io.vencflow.operators.RejectedFrame;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link RejectedFrame}, layout version 1: the reason as UTF (at most {@value
 * RejectedFrame#MAX_REASON_CHARS} characters), then the frame in {@link FrameSerializer}'s layout
 * version 1. Stateless and thread-safe.
 */
public final class RejectedFrameSerializer extends TypeSerializer<RejectedFrame> {
    private static final long serialVersionUID = 1L;

    /** The layout version this build writes. */
    public static final int VERSION = 1;

    public static final RejectedFrameSerializer INSTANCE = new RejectedFrameSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<RejectedFrame> duplicate() {
        return this;
    }

    @Override
    public RejectedFrame createInstance() {
        return new RejectedFrame(FrameSerializer.INSTANCE.createInstance(), "placeholder");
    }

    @Override
    public RejectedFrame copy(RejectedFrame from) {
        return from;
    }

    @Override
    public RejectedFrame copy(RejectedFrame from, RejectedFrame reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RejectedFrame record, DataOutputView out) throws IOException {
        out.writeUTF(record.reason());
        FrameSerializer.INSTANCE.serialize(record.frame(), out);
    }

    @Override
    public RejectedFrame deserialize(DataInputView in) throws IOException {
        String reason = readReason(in);
        Frame frame = FrameSerializer.INSTANCE.deserialize(in);
        return new RejectedFrame(frame, reason);
    }

    @Override
    public RejectedFrame deserialize(RejectedFrame reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        out.writeUTF(readReason(in));
        FrameSerializer.INSTANCE.copy(in, out);
    }

    private static String readReason(DataInputView in) throws IOException {
        String reason = in.readUTF();
        if (reason.isBlank() || reason.length() > RejectedFrame.MAX_REASON_CHARS) {
            throw new IOException("rejected-frame record has a reason of " + reason.length() + " characters; expected 1.."
                    + RejectedFrame.MAX_REASON_CHARS + " and not blank");
        }
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RejectedFrameSerializer;
    }

    @Override
    public int hashCode() {
        return RejectedFrameSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<RejectedFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Snapshot of {@link RejectedFrameSerializer}: the layout version only. */
    public static final class Snapshot extends RecordSerializerSnapshot<RejectedFrame> {
        public Snapshot() {
        }

        @Override
        protected int currentVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<RejectedFrame> restoreSerializer(int version) {
            return INSTANCE;
        }

        @Override
        protected String recordName() {
            return "RejectedFrame";
        }
    }
}
