package io.vencflow.operators.serialization;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.RejectedFrame;
import java.util.function.Supplier;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information of a vencflow record: an atomic type (not a key, no fields Flink looks into) with
 * its own versioned serializer, so Flink never falls back to Kryo for it. Use the constants in
 * {@link io.vencflow.operators.VideoTypes}.
 */
public final class RecordTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final Kind kind;

    private enum Kind {
        FRAME, ENCODED_FRAME, REJECTED_FRAME
    }

    private RecordTypeInfo(Class<T> type, Kind kind) {
        this.type = type;
        this.kind = kind;
    }

    /** {@link Frame} with {@link FrameSerializer}. */
    public static RecordTypeInfo<Frame> frame() {
        return new RecordTypeInfo<>(Frame.class, Kind.FRAME);
    }

    /** {@link EncodedFrame} with {@link EncodedFrameSerializer}. */
    public static RecordTypeInfo<EncodedFrame> encodedFrame() {
        return new RecordTypeInfo<>(EncodedFrame.class, Kind.ENCODED_FRAME);
    }

    /** {@link RejectedFrame} with {@link RejectedFrameSerializer}. */
    public static RecordTypeInfo<RejectedFrame> rejectedFrame() {
        return new RecordTypeInfo<>(RejectedFrame.class, Kind.REJECTED_FRAME);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        Supplier<TypeSerializer<?>> s = switch (kind) {
            case FRAME -> () -> FrameSerializer.INSTANCE;
            case ENCODED_FRAME -> EncodedFrameSerializer::new;
            case REJECTED_FRAME -> () -> RejectedFrameSerializer.INSTANCE;
        };
        return (TypeSerializer<T>) s.get();
    }

    @Override
    public String toString() {
        return type.getSimpleName() + "(vencflow serializer)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordTypeInfo<?> other && other.kind == kind;
    }

    @Override
    public int hashCode() {
        return kind.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RecordTypeInfo;
    }
}
