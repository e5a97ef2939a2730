package io.vencflow.operators.serialization;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.frame.ChannelId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link EncodedFrame}, layout version 1:
 *
 * <pre>
 * UTF     channel
 * long    sequence
 * long    ptsMicros
 * byte    codec code (H.264 1, H.265 2)
 * int     width
 * int     height
 * boolean keyframe
 * long    gopIndex
 * int     gopPosition
 * int     pack count, 1..64
 * per pack: int length (1..{@value #MAX_PACK_BYTES}), then the NAL unit without start code
 * </pre>
 *
 * Pack types are read back from the NAL headers, so they cannot disagree with the bytes. Every
 * count and length is checked before anything is allocated; a corrupt stream gives an {@link
 * IOException} naming the bad value.
 *
 * <p>Not thread-safe (it keeps a scratch buffer): Flink gets a fresh one from {@link #duplicate()}
 * for each thread, as it does for every stateful serializer.
 */
public final class EncodedFrameSerializer extends TypeSerializer<EncodedFrame> {
    private static final long serialVersionUID = 1L;

    /** The layout version this build writes. */
    public static final int VERSION = 1;

    /** The largest NAL unit accepted: far above any real slice, small enough to refuse garbage lengths. */
    public static final int MAX_PACK_BYTES = 128 << 20;

    /** The most packs one access unit may have (as {@link EncodedFrame} checks). */
    public static final int MAX_PACKS = 64;

    private transient byte[] scratch;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<EncodedFrame> duplicate() {
        return new EncodedFrameSerializer();
    }

    /** A one-pack H.264 access unit of channel {@code empty}: Flink asks for an instance only to reuse it. */
    @Override
    public EncodedFrame createInstance() {
        return new EncodedFrame("empty", 0, 0, Codec.H264, 16, 16, false, 0, 0,
                List.of(Pack.of(Codec.H264, new byte[] {0x01, 0x00})));
    }

    @Override
    public EncodedFrame copy(EncodedFrame from) {
        return from;
    }

    @Override
    public EncodedFrame copy(EncodedFrame from, EncodedFrame reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EncodedFrame frame, DataOutputView out) throws IOException {
        out.writeUTF(frame.channel());
        out.writeLong(frame.sequence());
        out.writeLong(frame.ptsMicros());
        out.writeByte(RecordCodes.codec(frame.codec()));
        out.writeInt(frame.width());
        out.writeInt(frame.height());
        out.writeBoolean(frame.keyframe());
        out.writeLong(frame.gopIndex());
        out.writeInt(frame.gopPosition());
        List<Pack> packs = frame.packs();
        out.writeInt(packs.size());
        for (Pack p : packs) {
            int n = p.size();
            byte[] buf = scratch(n);
            p.copyTo(buf, 0);
            out.writeInt(n);
            out.write(buf, 0, n);
        }
    }

    @Override
    public EncodedFrame deserialize(DataInputView in) throws IOException {
        Header h = Header.read(in);
        List<Pack> packs = new ArrayList<>(h.packCount);
        for (int i = 0; i < h.packCount; i++) {
            int n = readPackLength(in, h, i);
            byte[] buf = scratch(n);
            in.readFully(buf, 0, n);
            try {
                packs.add(Pack.of(h.codec, buf, 0, n));
            } catch (IllegalArgumentException e) {
                throw new IOException(h.describe() + ", pack " + i + ": " + e.getMessage(), e);
            }
        }
        try {
            return new EncodedFrame(h.channel, h.sequence, h.ptsMicros, h.codec, h.width, h.height, h.keyframe,
                    h.gopIndex, h.gopPosition, packs);
        } catch (IllegalArgumentException e) {
            throw new IOException(h.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public EncodedFrame deserialize(EncodedFrame reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        Header h = Header.read(in);
        out.writeUTF(h.channel);
        out.writeLong(h.sequence);
        out.writeLong(h.ptsMicros);
        out.writeByte(RecordCodes.codec(h.codec));
        out.writeInt(h.width);
        out.writeInt(h.height);
        out.writeBoolean(h.keyframe);
        out.writeLong(h.gopIndex);
        out.writeInt(h.gopPosition);
        out.writeInt(h.packCount);
        for (int i = 0; i < h.packCount; i++) {
            int n = readPackLength(in, h, i);
            out.writeInt(n);
            out.write(in, n);
        }
    }

    private static int readPackLength(DataInputView in, Header h, int index) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > MAX_PACK_BYTES) {
            throw new IOException(h.describe() + ", pack " + index + " says " + n + " bytes; expected 1.."
                    + MAX_PACK_BYTES);
        }
        return n;
    }

    private byte[] scratch(int n) {
        if (scratch == null || scratch.length < n) {
            scratch = new byte[Math.max(n, 64 << 10)];
        }
        return scratch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedFrameSerializer;
    }

    @Override
    public int hashCode() {
        return EncodedFrameSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<EncodedFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The checked fields in front of the packs. */
    private record Header(String channel, long sequence, long ptsMicros, Codec codec, int width, int height,
            boolean keyframe, long gopIndex, int gopPosition, int packCount) {

        static Header read(DataInputView in) throws IOException {
            String channel = in.readUTF();
            if (!ChannelId.isValid(channel)) {
                throw new IOException("access unit record has channel id '" + channel
                        + "', not 1-64 of [A-Za-z0-9._-]; the stream is corrupt or not a vencflow access unit");
            }
            long sequence = in.readLong();
            long pts = in.readLong();
            Codec codec = RecordCodes.codec(in.readByte());
            int width = in.readInt();
            int height = in.readInt();
            boolean keyframe = in.readBoolean();
            long gopIndex = in.readLong();
            int gopPosition = in.readInt();
            int packCount = in.readInt();
            String where = "access unit record #" + sequence + " of channel " + channel;
            if (sequence < 0) {
                throw new IOException(where + " has a negative sequence; expected 0 or more");
            }
            if (width < 1 || height < 1) {
                throw new IOException(where + " has size " + width + "x" + height + "; expected positive dimensions");
            }
            if (gopIndex < 0 || gopPosition < 0) {
                throw new IOException(where + " has gop " + gopIndex + "/" + gopPosition + "; expected 0 or more");
            }
            if (packCount < 1 || packCount > MAX_PACKS) {
                throw new IOException(where + " says " + packCount + " packs; expected 1.." + MAX_PACKS);
            }
            return new Header(channel, sequence, pts, codec, width, height, keyframe, gopIndex, gopPosition, packCount);
        }

        String describe() {
            return "access unit record #" + sequence + " of channel " + channel;
        }
    }

    /** Snapshot of {@link EncodedFrameSerializer}: the layout version only. */
    public static final class Snapshot extends RecordSerializerSnapshot<EncodedFrame> {
        public Snapshot() {
        }

        @Override
        protected int currentVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<EncodedFrame> restoreSerializer(int version) {
            return new EncodedFrameSerializer();
        }

        @Override
        protected String recordName() {
            return "EncodedFrame";
        }
    }
}
