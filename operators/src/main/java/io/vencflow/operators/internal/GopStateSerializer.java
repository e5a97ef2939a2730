package io.vencflow.operators.internal;

import io.vencflow.operators.serialization.RecordSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link GopState}, layout version 1:
 *
 * <pre>
 * long gopIndex, int gopPosition, long nextSequence, long floorSequence,
 * int bufferedCount, long bufferedMinSequence, long bufferedMinPtsMicros, long gapTimerMs,
 * int skipped range count (0..16), then per range: long from, long to
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class GopStateSerializer extends TypeSerializer<GopState> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;

    public static final GopStateSerializer INSTANCE = new GopStateSerializer();

    private static final int FIXED_BYTES = 8 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 4;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<GopState> duplicate() {
        return this;
    }

    @Override
    public GopState createInstance() {
        return new GopState();
    }

    @Override
    public GopState copy(GopState from) {
        return from.copy();
    }

    @Override
    public GopState copy(GopState from, GopState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(GopState s, DataOutputView out) throws IOException {
        out.writeLong(s.gopIndex);
        out.writeInt(s.gopPosition);
        out.writeLong(s.nextSequence);
        out.writeLong(s.floorSequence);
        out.writeInt(s.bufferedCount);
        out.writeLong(s.bufferedMinSequence);
        out.writeLong(s.bufferedMinPtsMicros);
        out.writeLong(s.gapTimerMs);
        out.writeInt(s.skipped.length / 2);
        for (long v : s.skipped) {
            out.writeLong(v);
        }
    }

    @Override
    public GopState deserialize(DataInputView in) throws IOException {
        GopState s = new GopState();
        s.gopIndex = in.readLong();
        s.gopPosition = in.readInt();
        s.nextSequence = in.readLong();
        s.floorSequence = in.readLong();
        s.bufferedCount = in.readInt();
        s.bufferedMinSequence = in.readLong();
        s.bufferedMinPtsMicros = in.readLong();
        s.gapTimerMs = in.readLong();
        if (s.gopIndex < -1 || s.gopPosition < 0 || s.bufferedCount < 0) {
            throw new IOException("GOP state record has gop " + s.gopIndex + "/" + s.gopPosition + " and "
                    + s.bufferedCount + " buffered frames; expected gop index -1 or more, position and count 0 or more");
        }
        int ranges = readRangeCount(in);
        s.skipped = new long[2 * ranges];
        for (int i = 0; i < s.skipped.length; i++) {
            s.skipped[i] = in.readLong();
        }
        return s;
    }

    private static int readRangeCount(DataInputView in) throws IOException {
        int ranges = in.readInt();
        if (ranges < 0 || ranges > GopState.MAX_SKIPPED_RANGES) {
            throw new IOException("GOP state record says " + ranges + " skipped ranges; expected 0.."
                    + GopState.MAX_SKIPPED_RANGES);
        }
        return ranges;
    }

    @Override
    public GopState deserialize(GopState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        out.write(in, FIXED_BYTES - 4);
        int ranges = readRangeCount(in);
        out.writeInt(ranges);
        out.write(in, ranges * 16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GopStateSerializer;
    }

    @Override
    public int hashCode() {
        return GopStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<GopState> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Snapshot of {@link GopStateSerializer}: the layout version only. */
    public static final class Snapshot extends RecordSerializerSnapshot<GopState> {
        public Snapshot() {
        }

        @Override
        protected int currentVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<GopState> restoreSerializer(int version) {
            return INSTANCE;
        }

        @Override
        protected String recordName() {
            return "GopState";
        }
    }
}
