package io.vencflow.connectors.archive.internal;

import io.vencflow.core.codec.Codec;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializer of {@link SegmentState}, version 1: UTF channel, UTF base name, UTF codec id, long start
 * pts, long start sequence, long data length, long index length, int frames.
 */
public final class SegmentStateSerializer implements SimpleVersionedSerializer<SegmentState> {
    public static final int VERSION = 1;
    public static final SegmentStateSerializer INSTANCE = new SegmentStateSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SegmentState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(96);
        out.writeUTF(s.channel());
        out.writeUTF(s.baseName());
        out.writeUTF(s.codec().id());
        out.writeLong(s.startPtsMicros());
        out.writeLong(s.startSequence());
        out.writeLong(s.dataLength());
        out.writeLong(s.indexLength());
        out.writeInt(s.frames());
        return out.getCopyOfBuffer();
    }

    @Override
    public SegmentState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("archive segment state version " + version + " is unknown; this vencflow reads version "
                    + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        try {
            return new SegmentState(in.readUTF(), in.readUTF(), Codec.parse(in.readUTF()), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong(), in.readInt());
        } catch (IllegalArgumentException e) {
            throw new IOException("archive segment state is corrupt: " + e.getMessage(), e);
        }
    }
}
