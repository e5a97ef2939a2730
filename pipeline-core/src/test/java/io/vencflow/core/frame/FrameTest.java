package io.vencflow.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void frameSizesFollowEachFormat() {
        assertEquals(640 * 480 * 3 / 2, PixelFormat.I420.frameSize(640, 480));
        assertEquals(640 * 480 * 3 / 2, PixelFormat.NV12.frameSize(640, 480));
        assertEquals(640 * 480 * 2, PixelFormat.RGB565.frameSize(640, 480));
        assertEquals(640 * 480 * 3, PixelFormat.BGR888.frameSize(640, 480));
        assertEquals(640 * 480, PixelFormat.GRAY8.frameSize(640, 480));
        assertEquals(3_110_400, PixelFormat.I420.frameSize(1920, 1080));
    }

    @Test
    void aWrongByteCountIsRefusedNamingBothSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Frame("cam0", 0, 0, 640, 480, PixelFormat.I420, new byte[460799]));
        assertEquals("frame of channel cam0 has 460799 bytes; a 640x480 I420 frame has 460800", e.getMessage());
    }

    @Test
    void oddDimensionsAreRefusedFor420Formats() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Frame("cam0", 0, 0, 641, 480, PixelFormat.NV12, new byte[641 * 480 * 3 / 2]));
        assertTrue(e.getMessage().startsWith("width 641 is odd"), e.getMessage());
        // RGB formats have no chroma subsampling: odd sizes are frames too.
        assertEquals(3 * 3 * 3, new Frame("cam0", 0, 0, 3, 3, PixelFormat.RGB888, new byte[27]).size());
    }

    @Test
    void channelIdsThatCouldEscapeAFolderOrBreakAKeyAreRefused() {
        for (String bad : new String[] {"", ".", "..", "a/b", "../x", "cam 1", "cam\u0000", "x".repeat(65), "caméra"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new Frame(bad, 0, 0, 2, 2, PixelFormat.GRAY8, new byte[4]), "channel '" + bad + "'");
        }
        assertEquals("cam-1.front_2", new Frame("cam-1.front_2", 0, 0, 2, 2, PixelFormat.GRAY8, new byte[4]).channel());
    }

    @Test
    void negativeSequencesAndZeroSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Frame("c", -1, 0, 2, 2, PixelFormat.GRAY8, new byte[4]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Frame("c", 0, 0, 0, 2, PixelFormat.GRAY8, new byte[0]));
        assertTrue(e.getMessage().contains("width 0 is out of range"), e.getMessage());
    }

    @Test
    void pixelsAreExposedReadOnly() {
        Frame f = new Frame("c", 0, 0, 2, 2, PixelFormat.GRAY8, new byte[] {1, 2, 3, 4});
        assertThrows(ReadOnlyBufferException.class, () -> f.pixels().put(0, (byte) 9));
        assertEquals(1, f.pixels().get(0));
    }

    @Test
    void pixelFormatNamesParseCaseInsensitivelyAndUnknownOnesAreNamed() {
        assertEquals(PixelFormat.NV12, PixelFormat.parse("NV12"));
        assertEquals(PixelFormat.NV12, PixelFormat.parse("yuv420sp"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PixelFormat.parse("yuyv"));
        assertTrue(e.getMessage().startsWith("unknown pixel format 'yuyv'"), e.getMessage());
    }
}
