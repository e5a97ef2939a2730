package io.vencflow.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EncodingOptionsTest {

    @Test
    void defaultsAreHalfASecond64FramesAndOneMinute() {
        EncodingOptions o = EncodingOptions.defaults();
        assertEquals(500, o.latenessMs());
        assertEquals(64, o.reorderBufferFrames());
        assertEquals(60_000, o.idleTimeoutMs());
    }

    @Test
    void outOfRangeSettingsAreRefusedNamingTheValueAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncodingOptions.builder().latenessMs(-1).build());
        assertTrue(e.getMessage().contains("lateness -1 ms") && e.getMessage().contains("0..3600000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EncodingOptions.builder().reorderBufferFrames(0).build());
        assertTrue(e.getMessage().contains("reorder buffer of 0 frames") && e.getMessage().contains("1..4096"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EncodingOptions.builder().idleTimeoutMs(-5).build());
        assertTrue(e.getMessage().contains("idle timeout -5 ms"), e.getMessage());
    }
}
