package io.vencflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.kafka.internal.DeadLetterSerializer;
import io.vencflow.connectors.kafka.internal.FrameOrDeadLetterSerializer;
import io.vencflow.connectors.kafka.internal.KafkaTypes;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class KafkaRecordSerializersTest {

    @Test
    void deadLettersRoundTripWithAndWithoutAKey() throws IOException {
        for (DeadLetter d : new DeadLetter[] {new DeadLetter("frames", 3, 1234567890123L, "cam-1", "size_mismatch", "msg"),
            new DeadLetter("frames", 0, 0, null, "missing_key", "record has no key")}) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            DeadLetterSerializer.INSTANCE.serialize(d, out);
            assertEquals(d, DeadLetterSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
        }
    }

    @Test
    void longKeysAndMessagesAreCutSoTheyFitTheSerializer() {
        DeadLetter d = new DeadLetter("t", 0, 0, "k".repeat(100_000), "invalid_channel", "m".repeat(100_000));
        assertEquals(DeadLetter.MAX_TEXT, d.key().length());
        assertEquals(DeadLetter.MAX_TEXT, d.message().length());
    }

    @Test
    void theUnionCarriesAFrameOrADeadLetterAndRefusesAnUnknownTag() throws IOException {
        Frame f = new SyntheticScene("cam", 32, 16, PixelFormat.NV12).render(5, 77);
        FrameOrDeadLetterSerializer s = FrameOrDeadLetterSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(FrameOrDeadLetter.of(f), out);
        FrameOrDeadLetter back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertTrue(back.isFrame());
        assertEquals(f.toString(), back.frame().toString());
        assertEquals(f.pixels(), back.frame().pixels());

        DeadLetter d = new DeadLetter("frames", 1, 2, "k", "unknown_format", "m");
        out.clear();
        s.serialize(FrameOrDeadLetter.of(d), out);
        assertEquals(d, s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())).deadLetter());

        IOException e = assertThrows(IOException.class, () -> s.deserialize(new DataInputDeserializer(new byte[] {9})));
        assertEquals("record tag 9 is unknown; expected 1 (frame) or 2 (dead letter)", e.getMessage());
    }

    @Test
    void typeInformationUsesTheOwnSerializersNeverKryo() {
        assertEquals(DeadLetterSerializer.INSTANCE, KafkaTypes.DEAD_LETTER.createSerializer(null));
        assertEquals(FrameOrDeadLetterSerializer.INSTANCE, KafkaTypes.FRAME_OR_DEAD_LETTER.createSerializer(null));
        assertEquals(1, DeadLetterSerializer.INSTANCE.snapshotConfiguration().getCurrentVersion());
    }
}
