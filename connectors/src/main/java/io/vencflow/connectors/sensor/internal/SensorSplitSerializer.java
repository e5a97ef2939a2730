package io.vencflow.connectors.sensor.internal;

import io.vencflow.core.frame.PixelFormat;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializer of {@link SensorSplit}, version 1:
 *
 * <pre>
 * int  ordinal
 * UTF  channel
 * int  width, int height
 * UTF  pixel format id (PixelFormat.id(), e.g. "nv12")
 * int  fps, int noise
 * long nextSequence, long endSequence (-1 endless), long clockStartMicros
 * </pre>
 */
public final class SensorSplitSerializer implements SimpleVersionedSerializer<SensorSplit> {
    public static final int VERSION = 1;
    public static final SensorSplitSerializer INSTANCE = new SensorSplitSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SensorSplit s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(s.ordinal());
        out.writeUTF(s.channel());
        out.writeInt(s.width());
        out.writeInt(s.height());
        out.writeUTF(s.format().id());
        out.writeInt(s.fps());
        out.writeInt(s.noise());
        out.writeLong(s.nextSequence());
        out.writeLong(s.endSequence());
        out.writeLong(s.clockStartMicros());
        return out.getCopyOfBuffer();
    }

    @Override
    public SensorSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("sensor split version " + version + " is unknown; this vencflow reads version " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        try {
            return new SensorSplit(in.readInt(), in.readUTF(), in.readInt(), in.readInt(), PixelFormat.parse(in.readUTF()),
                    in.readInt(), in.readInt(), in.readLong(), in.readLong(), in.readLong());
        } catch (IllegalArgumentException e) {
            throw new IOException("sensor split is corrupt: " + e.getMessage(), e);
        }
    }
}
