package io.vencflow.connectors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.file.internal.ClipSplit;
import io.vencflow.connectors.file.internal.ClipSplitSerializer;
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

    @Test
    void clipSplitsRoundTripWithTheirLoopPositionForRawAndY4mClips() throws IOException {
        ClipSplit raw = new ClipSplit(1, "road", "/data/cars.yuv", 320, 240, PixelFormat.NV12, 30, true, 900, 5, 17, 3,
                107);
        ClipSplit y4m = new ClipSplit(0, "fm", "/data/foreman.y4m", 0, 0, null, 15, false, -1, 0, 0, 0, 0);
        for (ClipSplit s : List.of(raw, y4m)) {
            assertEquals(s, ClipSplitSerializer.INSTANCE.deserialize(1, ClipSplitSerializer.INSTANCE.serialize(s)));
        }
    }
}
