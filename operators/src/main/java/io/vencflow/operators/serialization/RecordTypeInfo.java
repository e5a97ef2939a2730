package io.vencflow.operators.serialization;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.RejectedFrame;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information of a vencflow record: an atomic type (not a key, no fields Flink looks into) with
 * its own versioned serializer, so Flink never falls back to Kryo for it. Use the constants in
 * {@link io.vencflow.operators.VideoTypes}; other modules wrap their own records' serializers with
 * {@link #of}. Equal when the type and the serializer are.
 */
public final class RecordTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final TypeSerializer<T> serializer;

    private RecordTypeInfo(Class<T> type, TypeSerializer<T> serializer) {
        this.type = Objects.requireNonNull(type, "type");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /** {@code type} with {@code serializer} (duplicated for each use, so it may keep scratch state). */
    public static <T> RecordTypeInfo<T> of(Class<T> type, TypeSerializer<T> serializer) {
        return new RecordTypeInfo<>(type, serializer);
    }

    /** {@link Frame} with {@link FrameSerializer}. */
    public static RecordTypeInfo<Frame> frame() {
        return of(Frame.class, FrameSerializer.INSTANCE);
    }

    /** {@link EncodedFrame} with {@link EncodedFrameSerializer}. */
    public static RecordTypeInfo<EncodedFrame> encodedFrame() {
        return of(EncodedFrame.class, new EncodedFrameSerializer());
    }

    /** {@link RejectedFrame} with {@link RejectedFrameSerializer}. */
    public static RecordTypeInfo<RejectedFrame> rejectedFrame() {
        return of(RejectedFrame.class, RejectedFrameSerializer.INSTANCE);
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
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer.duplicate();
    }

    @Override
    public String toString() {
        return type.getSimpleName() + "(vencflow serializer)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordTypeInfo<?> other && other.type == type && other.serializer.equals(serializer);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RecordTypeInfo;
    }
}
