package io.vencflow.operators.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.operators.RejectedFrame;
import io.vencflow.operators.testing.Golden;
import io.vencflow.operators.testing.Records;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The serializers' snapshots: what this build writes reads back as "compatible as is", a snapshot
 * from an unknown later version is refused with a clear error, and records written in layout
 * version 1 (kept as files in the test resources, see {@link Golden}) still read, so savepoints
 * taken now restore later.
 */
class SerializerSnapshotTest {
    private static final ClassLoader CL = SerializerSnapshotTest.class.getClassLoader();

    /** A serializer, the record it must write, and the golden file of layout version 1. */
    record Case<T>(String name, TypeSerializer<T> serializer, T record) {
    }

    static List<Case<?>> cases() {
        EncodedFrame au = new EncodedFrame("golden", 42, 1_700_000_000_123_456L, Codec.H264, 320, 240, true, 3, 0,
                List.of(Pack.of(Codec.H264, new byte[] {0x67, 0x42, (byte) 0xc0, 0x1e}),
                        Pack.of(Codec.H264, new byte[] {0x68, (byte) 0xce, 0x3c, (byte) 0x80}),
                        Pack.of(Codec.H264, new byte[] {0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x33})));
        return List.of(
                new Case<>("frame", new FrameSerializer(), Records.randomFrame("golden", 42, 8, 4, PixelFormat.NV12, 42)),
                new Case<>("encoded-frame", new EncodedFrameSerializer(), au),
                new Case<>("rejected-frame", new RejectedFrameSerializer(),
                        new RejectedFrame(Records.randomFrame("golden", 7, 4, 2, PixelFormat.RGB565, 7),
                                "frame #7 of channel golden is 4x2 RGB565; channel golden encodes 320x240 I420")));
    }

    @Test
    void snapshotOfThisVersionReadsBackCompatibleAsIs() throws IOException {
        for (Case<?> c : cases()) {
            TypeSerializerSnapshot<?> read = roundTrip(c.serializer().snapshotConfiguration());
            assertEquals(1, read.getCurrentVersion());
            assertTrue(compatibility(c.serializer(), read).isCompatibleAsIs(), c.name());
            assertEquals(c.serializer(), read.restoreSerializer());
        }
    }

    @Test
    void snapshotOfAnUnknownLaterVersionIsRefusedNamingTheVersion() throws IOException {
        for (Case<?> c : cases()) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeUTF(c.serializer().snapshotConfiguration().getClass().getName());
            out.writeInt(99);
            IOException e = assertThrows(IOException.class, () -> TypeSerializerSnapshot.readVersionedSnapshot(
                    new DataInputDeserializer(out.getCopyOfBuffer()), CL));
            assertTrue(e.getMessage().contains("version 99 is unknown") && e.getMessage().contains("1..1"),
                    e.getMessage());
        }
    }

    @Test
    void snapshotOfAnotherSerializerIsIncompatible() {
        TypeSerializerSnapshot<EncodedFrame> other = new EncodedFrameSerializer().snapshotConfiguration();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSchemaCompatibility<?> result = new FrameSerializer().snapshotConfiguration()
                .resolveSchemaCompatibility((TypeSerializerSnapshot) other);
        assertTrue(result.isIncompatible());
    }

    @Test
    void recordsWrittenInLayoutVersionOneStillRead() throws IOException {
        for (Case<?> c : cases()) {
            checkGolden(c);
        }
    }

    private static <T> void checkGolden(Case<T> c) throws IOException {
        Golden.check(c.name(), c.serializer(), c.record(), Records.checker());
    }

    @SuppressWarnings("unchecked")
    private static <T> TypeSerializerSchemaCompatibility<T> compatibility(TypeSerializer<T> current,
            TypeSerializerSnapshot<?> old) {
        return current.snapshotConfiguration().resolveSchemaCompatibility((TypeSerializerSnapshot<T>) old);
    }

    private static <T> TypeSerializerSnapshot<T> roundTrip(TypeSerializerSnapshot<T> snapshot) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()), CL);
    }
}
