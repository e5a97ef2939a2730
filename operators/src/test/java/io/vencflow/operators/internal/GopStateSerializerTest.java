package io.vencflow.operators.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.operators.testing.Golden;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/** Flink's serializer test battery over GOP states, the golden v1 record, and corrupt input. */
class GopStateSerializerTest extends SerializerTestBase<GopState> {

    @Override
    protected TypeSerializer<GopState> createSerializer() {
        return new GopStateSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<GopState> getTypeClass() {
        return GopState.class;
    }

    @Override
    protected GopState[] getTestData() {
        return new GopState[] {new GopState(), midStream(), fullOfSkips()};
    }

    static GopState midStream() {
        GopState s = new GopState();
        s.start(0);
        s.countAccessUnit(true);
        s.countAccessUnit(false);
        s.nextSequence = 57;
        s.bufferedCount = 3;
        s.bufferedMinSequence = 59;
        s.bufferedMinPtsMicros = 1_700_000_001_966_647L;
        s.gapTimerMs = 1_700_000_002_466L;
        s.skip(40, 42);
        s.nextSequence = 57;
        return s;
    }

    private static GopState fullOfSkips() {
        GopState s = new GopState();
        s.start(5);
        for (int i = 0; i < 20; i++) {
            s.skip(10 + 3L * i, 11 + 3L * i);
        }
        return s;
    }

    @Test
    void gopStateWrittenInLayoutVersionOneStillReads() throws IOException {
        Golden.check("gop-state", new GopStateSerializer(), midStream(), new DeeplyEqualsChecker());
    }

    @Test
    void aCorruptSkippedRangeCountIsRefusedNamingTheValue() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        GopStateSerializer.INSTANCE.serialize(midStream(), out);
        byte[] bytes = out.getCopyOfBuffer();
        ByteBuffer.wrap(bytes).putInt(8 + 4 + 8 + 8 + 4 + 8 + 8 + 8, 70_000);
        IOException e = assertThrows(IOException.class,
                () -> GopStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)));
        assertTrue(e.getMessage().contains("70000 skipped ranges"), e.getMessage());
    }
}
