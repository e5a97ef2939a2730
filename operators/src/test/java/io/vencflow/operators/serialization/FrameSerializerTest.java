package io.vencflow.operators.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.operators.testing.Records;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Flink's serializer test battery over frames of every pixel format, plus corrupt input. */
class FrameSerializerTest extends SerializerTestBase<Frame> {

    FrameSerializerTest() {
        super(Records.checker());
    }

    @Override
    protected TypeSerializer<Frame> createSerializer() {
        return new FrameSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Frame> getTypeClass() {
        return Frame.class;
    }

    @Override
    protected Frame[] getTestData() {
        List<Frame> frames = new ArrayList<>();
        long seed = 1;
        for (PixelFormat f : PixelFormat.values()) {
            frames.add(Records.randomFrame("cam-" + f.id(), seed, 34, 18, f, seed++));
        }
        frames.add(Records.randomFrame("a", Long.MAX_VALUE / 2, 2, 2, PixelFormat.I420, seed++));
        frames.add(Records.randomFrame("x".repeat(64), 0, 640, 480, PixelFormat.NV12, seed));
        return frames.toArray(new Frame[0]);
    }

    @Test
    void roundTripKeepsEveryFieldAndEveryPixelByte() throws IOException {
        for (Frame f : getTestData()) {
            byte[] bytes = serialize(f);
            Frame back = FrameSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
            assertTrue(Records.sameFrame(f, back), f + " came back as " + back);
            byte[] expected = new byte[f.size()];
            f.copyPixels(0, expected, 0, f.size());
            byte[] actual = new byte[back.size()];
            back.copyPixels(0, actual, 0, back.size());
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void layoutVersionOneIsHeaderThenPixels() throws IOException {
        Frame f = Records.randomFrame("cam0", 7, 4, 2, PixelFormat.GRAY8, 3);
        byte[] bytes = serialize(f);
        // writeUTF "cam0" (2 + 4) + 2 longs + 2 ints + format byte + length int + 8 pixels
        assertEquals(6 + 16 + 8 + 1 + 4 + 8, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(4, b.getShort());
        b.position(6);
        assertEquals(7, b.getLong());
        assertEquals(f.ptsMicros(), b.getLong());
        assertEquals(4, b.getInt());
        assertEquals(2, b.getInt());
        assertEquals(7, b.get(), "GRAY8 is code 7");
        assertEquals(8, b.getInt());
    }

    @Test
    void corruptPixelLengthIsRefusedNamingTheValueAndTheExpectedSize() throws IOException {
        Frame f = Records.randomFrame("cam0", 7, 64, 32, PixelFormat.I420, 3);
        byte[] bytes = serialize(f);
        int lengthAt = 6 + 16 + 8 + 1;
        ByteBuffer.wrap(bytes).putInt(lengthAt, 2_000_000_000);
        IOException e = assertThrows(IOException.class,
                () -> FrameSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)));
        assertTrue(e.getMessage().contains("2000000000") && e.getMessage().contains("3072"), e.getMessage());
        // the copy path checks the same
        assertThrows(IOException.class,
                () -> FrameSerializer.INSTANCE.copy(new DataInputDeserializer(bytes), new DataOutputSerializer(64)));
    }

    @Test
    void unknownPixelFormatCodeIsRefused() throws IOException {
        byte[] bytes = serialize(Records.randomFrame("cam0", 7, 4, 2, PixelFormat.GRAY8, 3));
        bytes[6 + 16 + 8] = 42;
        IOException e = assertThrows(IOException.class,
                () -> FrameSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)));
        assertTrue(e.getMessage().contains("pixel format code 42"), e.getMessage());
    }

    @Test
    void invalidChannelIdAndOddSizeAreRefused() throws IOException {
        byte[] bytes = serialize(Records.randomFrame("cam0", 7, 4, 2, PixelFormat.I420, 3));
        byte[] badChannel = bytes.clone();
        badChannel[2] = '/';
        IOException e = assertThrows(IOException.class,
                () -> FrameSerializer.INSTANCE.deserialize(new DataInputDeserializer(badChannel)));
        assertTrue(e.getMessage().contains("'/am0'"), e.getMessage());

        byte[] oddWidth = bytes.clone();
        ByteBuffer.wrap(oddWidth).putInt(6 + 16, 5);
        e = assertThrows(IOException.class,
                () -> FrameSerializer.INSTANCE.deserialize(new DataInputDeserializer(oddWidth)));
        assertTrue(e.getMessage().contains("width 5 is odd"), e.getMessage());
    }

    @Test
    void truncatedRecordEndsInEofNotAShortFrame() throws IOException {
        byte[] bytes = serialize(Records.randomFrame("cam0", 7, 16, 16, PixelFormat.I420, 3));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertThrows(EOFException.class, () -> FrameSerializer.INSTANCE.deserialize(new DataInputDeserializer(cut)));
    }

    private static byte[] serialize(Frame f) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        FrameSerializer.INSTANCE.serialize(f, out);
        return out.getCopyOfBuffer();
    }
}
