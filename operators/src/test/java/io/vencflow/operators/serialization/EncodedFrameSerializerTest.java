package io.vencflow.operators.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import io.vencflow.operators.testing.Records;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Flink's serializer test battery over real access units: jcodec H.264 (IDR with SPS/PPS, then P)
 * and x265 HEVC from the shared test data (VPS/SPS/PPS/SEI, CRA, RASL).
 */
class EncodedFrameSerializerTest extends SerializerTestBase<EncodedFrame> {
    private static List<EncodedFrame> data;

    EncodedFrameSerializerTest() {
        super(Records.checker());
    }

    @Override
    protected TypeSerializer<EncodedFrame> createSerializer() {
        return new EncodedFrameSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<EncodedFrame> getTypeClass() {
        return EncodedFrame.class;
    }

    @Override
    protected EncodedFrame[] getTestData() {
        return accessUnits().toArray(new EncodedFrame[0]);
    }

    static synchronized List<EncodedFrame> accessUnits() {
        if (data == null) {
            List<EncodedFrame> out = new ArrayList<>();
            EncoderConfig cfg = EncoderConfig.builder().size(96, 64).backend(Backend.JCODEC).gop(3).build();
            SyntheticScene scene = new SyntheticScene("h264cam", 96, 64, PixelFormat.I420);
            try (VideoEncoder enc = VideoEncoder.open(cfg)) {
                for (int i = 0; i < 4; i++) {
                    out.add(enc.encode(scene.render(i, i * 33_333L)));
                }
            }
            byte[] hevc = TestData.readAll(TestData.bitstream("h265/bbb_720p_x265_300f.h265"));
            out.addAll(Decoded.accessUnits(Codec.H265, hevc, "hevc").subList(0, 5));
            data = out;
        }
        return data;
    }

    @Test
    void roundTripGivesAnEqualAccessUnitWithTheSameAnnexBBytes() throws IOException {
        EncodedFrameSerializer s = new EncodedFrameSerializer();
        for (EncodedFrame f : accessUnits()) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            s.serialize(f, out);
            EncodedFrame back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertEquals(f, back);
            assertArrayEquals(f.toAnnexB(), back.toAnnexB());
            assertEquals(f.packs().get(0).type(), back.packs().get(0).type());
        }
    }

    @Test
    void corruptPackCountAndPackLengthAreRefusedNamingTheValue() throws IOException {
        EncodedFrame f = accessUnits().get(0);
        DataOutputSerializer out = new DataOutputSerializer(256);
        new EncodedFrameSerializer().serialize(f, out);
        byte[] bytes = out.getCopyOfBuffer();
        // header: UTF "h264cam" (2+7), seq, pts, codec byte, w, h, keyframe, gopIndex, gopPosition
        int countAt = 9 + 8 + 8 + 1 + 4 + 4 + 1 + 8 + 4;
        assertEquals(f.packs().size(), ByteBuffer.wrap(bytes).getInt(countAt));

        byte[] badCount = bytes.clone();
        ByteBuffer.wrap(badCount).putInt(countAt, 1000);
        IOException e = assertThrows(IOException.class,
                () -> new EncodedFrameSerializer().deserialize(new DataInputDeserializer(badCount)));
        assertTrue(e.getMessage().contains("1000 packs"), e.getMessage());

        byte[] badLength = bytes.clone();
        ByteBuffer.wrap(badLength).putInt(countAt + 4, -5);
        e = assertThrows(IOException.class,
                () -> new EncodedFrameSerializer().deserialize(new DataInputDeserializer(badLength)));
        assertTrue(e.getMessage().contains("pack 0 says -5 bytes"), e.getMessage());

        byte[] badCodec = bytes.clone();
        badCodec[9 + 16] = 9;
        e = assertThrows(IOException.class,
                () -> new EncodedFrameSerializer().deserialize(new DataInputDeserializer(badCodec)));
        assertTrue(e.getMessage().contains("codec code 9"), e.getMessage());
    }
}
