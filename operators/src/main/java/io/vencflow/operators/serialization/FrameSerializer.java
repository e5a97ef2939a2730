package io.vencflow.operators.serialization;

import io.vencflow.core.frame.ChannelId;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link Frame}, layout version 1:
 *
 * <pre>
 * UTF   channel
 * long  sequence
 * long  ptsMicros
 * int   width
 * int   height
 * byte  pixel format code (I420 1, NV12 2, NV21 3, RGB565 4, RGB888 5, BGR888 6, GRAY8 7)
 * int   pixel byte count, which must equal the format's size for width x height
 * bytes pixels
 * </pre>
 *
 * The pixels are written straight from the frame's array and read into a fresh array the new frame
 * takes over, one copy each way. Everything read is checked before any pixel array is allocated, so
 * a corrupt stream gives an {@link IOException} naming the bad value, never a giant allocation.
 *
 * <p>Stateless and thread-safe; frames are immutable, so copies are the frame itself.
 */
public final class FrameSerializer extends TypeSerializer<Frame> {
    private static final long serialVersionUID = 1L;

    /** The layout version this build writes. */
    public static final int VERSION = 1;

    public static final FrameSerializer INSTANCE = new FrameSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<Frame> duplicate() {
        return this;
    }

    /** A 16x16 black GRAY8 frame of channel {@code empty}: Flink asks for an instance only to reuse it. */
    @Override
    public Frame createInstance() {
        return new Frame("empty", 0, 0, 16, 16, PixelFormat.GRAY8, new byte[16 * 16]);
    }

    @Override
    public Frame copy(Frame from) {
        return from;
    }

    @Override
    public Frame copy(Frame from, Frame reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Frame frame, DataOutputView out) throws IOException {
        out.writeUTF(frame.channel());
        out.writeLong(frame.sequence());
        out.writeLong(frame.ptsMicros());
        out.writeInt(frame.width());
        out.writeInt(frame.height());
        out.writeByte(RecordCodes.pixelFormat(frame.format()));
        out.writeInt(frame.size());
        frame.writePixelsTo(out);
    }

    @Override
    public Frame deserialize(DataInputView in) throws IOException {
        Header h = Header.read(in);
        byte[] pixels = new byte[h.size];
        in.readFully(pixels);
        return new Frame(h.channel, h.sequence, h.ptsMicros, h.width, h.height, h.format, pixels);
    }

    @Override
    public Frame deserialize(Frame reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        Header h = Header.read(in);
        out.writeUTF(h.channel);
        out.writeLong(h.sequence);
        out.writeLong(h.ptsMicros);
        out.writeInt(h.width);
        out.writeInt(h.height);
        out.writeByte(RecordCodes.pixelFormat(h.format));
        out.writeInt(h.size);
        out.write(in, h.size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameSerializer;
    }

    @Override
    public int hashCode() {
        return FrameSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<Frame> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** The checked fields in front of the pixels. */
    private record Header(String channel, long sequence, long ptsMicros, int width, int height, PixelFormat format,
            int size) {

        static Header read(DataInputView in) throws IOException {
            String channel = in.readUTF();
            if (!ChannelId.isValid(channel)) {
                throw new IOException("frame record has channel id '" + channel + "', not 1-64 of [A-Za-z0-9._-];"
                        + " the stream is corrupt or not a vencflow frame");
            }
            long sequence = in.readLong();
            if (sequence < 0) {
                throw new IOException("frame record of channel " + channel + " has sequence " + sequence
                        + "; expected 0 or more");
            }
            long pts = in.readLong();
            int width = in.readInt();
            int height = in.readInt();
            PixelFormat format = RecordCodes.pixelFormat(in.readByte());
            try {
                Frame.checkDimensions(width, height, format);
            } catch (IllegalArgumentException e) {
                throw new IOException("frame record #" + sequence + " of channel " + channel + ": " + e.getMessage(), e);
            }
            int expected = format.frameSize(width, height);
            int size = in.readInt();
            if (size != expected) {
                throw new IOException("frame record #" + sequence + " of channel " + channel + " says " + size
                        + " pixel bytes; a " + width + "x" + height + " " + format + " frame has " + expected);
            }
            return new Header(channel, sequence, pts, width, height, format, size);
        }
    }

    /** Snapshot of {@link FrameSerializer}: the layout version only. */
    public static final class Snapshot extends RecordSerializerSnapshot<Frame> {
        public Snapshot() {
        }

        @Override
        protected int currentVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<Frame> restoreSerializer(int version) {
            return INSTANCE;
        }

        @Override
        protected String recordName() {
            return "Frame";
        }
    }
}
