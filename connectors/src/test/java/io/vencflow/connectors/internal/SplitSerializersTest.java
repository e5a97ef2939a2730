package io.vencflow.connectors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.sensor.internal.SensorSplit;
import io.vencflow.connectors.sensor.internal.SensorSplitSerializer;
import io.vencflow.core.frame.PixelFormat;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitSerializersTest {
    private static final SensorSplit CAM = new SensorSplit(3, "k230-1", 1280, 720, PixelFormat.NV12, 25, 2, 4711, -1,
            1_700_000_000_000_000L);

    @Test
    void aSensorSplitRoundTripsWithItsPosition() throws IOException {
        byte[] b = SensorSplitSerializer.INSTANCE.serialize(CAM);
        assertEquals(CAM, SensorSplitSerializer.INSTANCE.deserialize(1, b));
        assertEquals(4711, SensorSplitSerializer.INSTANCE.deserialize(1, b).nextSequence());
    }

    @Test
    void anUnknownSplitVersionIsRefused() {
        IOException e = assertThrows(IOException.class, () -> SensorSplitSerializer.INSTANCE.deserialize(2, new byte[8]));
        assertEquals("sensor split version 2 is unknown; this vencflow reads version 1", e.getMessage());
    }

    @Test
    void pendingSplitsRoundTripInOrder() throws IOException {
        PendingSplitsSerializer<SensorSplit> s = new PendingSplitsSerializer<>(SensorSplitSerializer.INSTANCE);
        PendingSplits<SensorSplit> p = new PendingSplits<>(List.of(CAM, CAM.at(9)));
        assertEquals(p, s.deserialize(1, s.serialize(p)));
        assertTrue(s.deserialize(1, s.serialize(new PendingSplits<>(List.of()))).splits().isEmpty());
        assertThrows(IOException.class, () -> s.deserialize(7, s.serialize(p)));
    }
}
