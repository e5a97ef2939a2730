package io.vencflow.connectors.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializer of {@link PendingSplits}, version 1: the split serializer's version, the number of
 * splits, then each split as a length and its bytes.
 */
public final class PendingSplitsSerializer<S extends OrderedSplit> implements SimpleVersionedSerializer<PendingSplits<S>> {
    public static final int VERSION = 1;

    private final SimpleVersionedSerializer<S> splits;

    public PendingSplitsSerializer(SimpleVersionedSerializer<S> splits) {
        this.splits = splits;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(PendingSplits<S> pending) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(splits.getVersion());
        out.writeInt(pending.splits().size());
        for (S s : pending.splits()) {
            byte[] b = splits.serialize(s);
            out.writeInt(b.length);
            out.write(b);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public PendingSplits<S> deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("pending splits version " + version + " is unknown; this vencflow reads version "
                    + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int splitVersion = in.readInt();
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("pending splits count " + n + " is out of range; the checkpoint is corrupt");
        }
        List<S> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0 || len > serialized.length) {
                throw new IOException("split " + i + " claims " + len + " bytes; the checkpoint is corrupt");
            }
            byte[] b = new byte[len];
            in.readFully(b);
            list.add(splits.deserialize(splitVersion, b));
        }
        return new PendingSplits<>(list);
    }
}
