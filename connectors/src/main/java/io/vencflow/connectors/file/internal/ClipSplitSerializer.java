package io.vencflow.connectors.file.internal;

import io.vencflow.core.frame.PixelFormat;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializer of {@link ClipSplit}, version 1:
 *
 * <pre>
 * int  ordinal, UTF channel, UTF path
 * int  raw width, int raw height, UTF raw format id ("" for Y4M)
 * int  fps, boolean loop, long endSequence, long clockStartMicros
 * long nextIndex, long loops, long nextSequence
 * </pre>
 */
public final class ClipSplitSerializer implements SimpleVersionedSerializer<ClipSplit> {
    public static final int VERSION = 1;
    public static final ClipSplitSerializer INSTANCE = new ClipSplitSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ClipSplit s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeInt(s.ordinal());
        out.writeUTF(s.channel());
        out.writeUTF(s.path());
        out.writeInt(s.rawWidth());
        out.writeInt(s.rawHeight());
        out.writeUTF(s.rawFormat() == null ? "" : s.rawFormat().id());
        out.writeInt(s.fps());
        out.writeBoolean(s.loop());
        out.writeLong(s.endSequence());
        out.writeLong(s.clockStartMicros());
        out.writeLong(s.nextIndex());
        out.writeLong(s.loops());
        out.writeLong(s.nextSequence());
        return out.getCopyOfBuffer();
    }

    @Override
    public ClipSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("clip split version " + version + " is unknown; this vencflow reads version " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        try {
            int ordinal = in.readInt();
            String channel = in.readUTF();
            String path = in.readUTF();
            int w = in.readInt();
            int h = in.readInt();
            String format = in.readUTF();
            return new ClipSplit(ordinal, channel, path, w, h, format.isEmpty() ? null : PixelFormat.parse(format),
                    in.readInt(), in.readBoolean(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    in.readLong());
        } catch (IllegalArgumentException e) {
            throw new IOException("clip split is corrupt: " + e.getMessage(), e);
        }
    }
}
