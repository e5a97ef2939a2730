package io.vencflow.connectors.archive.internal;

import io.vencflow.connectors.archive.SegmentFormat;
import io.vencflow.core.codec.Codec;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializer of {@link SegmentCommittable}, version 1: UTF channel, UTF base name, UTF codec id, UTF
 * format name, long length, int frames.
 */
public final class SegmentCommittableSerializer implements SimpleVersionedSerializer<SegmentCommittable> {
    public static final int VERSION = 1;
    public static final SegmentCommittableSerializer INSTANCE = new SegmentCommittableSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SegmentCommittable c) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(96);
        out.writeUTF(c.channel());
        out.writeUTF(c.baseName());
        out.writeUTF(c.codec().id());
        out.writeUTF(c.format().name());
        out.writeLong(c.length());
        out.writeInt(c.frames());
        return out.getCopyOfBuffer();
    }

    @Override
    public SegmentCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("archive committable version " + version + " is unknown; this vencflow reads version "
                    + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        try {
            return new SegmentCommittable(in.readUTF(), in.readUTF(), Codec.parse(in.readUTF()),
                    SegmentFormat.valueOf(in.readUTF()), in.readLong(), in.readInt());
        } catch (IllegalArgumentException e) {
            throw new IOException("archive committable is corrupt: " + e.getMessage(), e);
        }
    }
}
