package io.vencflow.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * RGB to YUV is BT.601 limited range: Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255,
 * U = 128 + (-37.797 R - 74.203 G + 112 B) / 255, V = 128 + (112 R - 93.786 G - 18.214 B) / 255,
 * rounded. The expected values below are those formulas worked by hand.
 */
class ColorConversionTest {

    // {R, G, B, Y, U, V}
    private static final int[][] KNOWN = {
        // white: Y = 16 + 219 = 235; U = V = 128
        {255, 255, 255, 235, 128, 128},
        // black: Y = 16
        {0, 0, 0, 16, 128, 128},
        // red: Y = 16 + 65.481 = 81.48 -> 81; U = 128 - 37.797 = 90.20 -> 90; V = 128 + 112 = 240
        {255, 0, 0, 81, 90, 240},
        // green: Y = 16 + 128.553 = 144.55 -> 145; U = 128 - 74.203 = 53.80 -> 54; V = 128 - 93.786 = 34.21 -> 34
        {0, 255, 0, 145, 54, 34},
        // blue: Y = 16 + 24.966 = 40.97 -> 41; U = 240; V = 128 - 18.214 = 109.79 -> 110
        {0, 0, 255, 41, 240, 110},
        // mid grey 128: Y = 16 + 219 * 128 / 255 = 125.93 -> 126
        {128, 128, 128, 126, 128, 128},
        // orange (255,128,0): Y = 16 + (65.481*255 + 128.553*128) / 255 = 16 + 65.481 + 64.528 = 146.01 -> 146
        // U = 128 + (-37.797*255 - 74.203*128) / 255 = 128 - 37.797 - 37.247 = 52.96 -> 53
        // V = 128 + (112*255 - 93.786*128) / 255 = 128 + 112 - 47.077 = 192.92 -> 193
        {255, 128, 0, 146, 53, 193},
    };

    @Test
    void rgb888ConvertsKnownColoursToTheirBt601LimitedRangeValues() {
        for (int[] c : KNOWN) {
            Frame f = uniform(PixelFormat.RGB888, new byte[] {(byte) c[0], (byte) c[1], (byte) c[2]}, 3);
            assertYuv(c, ColorConversion.convert(f, PixelFormat.I420));
        }
    }

    @Test
    void bgr888IsRgbWithBlueFirst() {
        for (int[] c : KNOWN) {
            Frame f = uniform(PixelFormat.BGR888, new byte[] {(byte) c[2], (byte) c[1], (byte) c[0]}, 3);
            assertYuv(c, ColorConversion.convert(f, PixelFormat.I420));
        }
    }

    @Test
    void rgb565LittleEndianExpandsFiveAndSixBitChannels() {
        // Pure colours survive 565 exactly: 31 -> 255, 63 -> 255.
        int[][] pure = {KNOWN[0], KNOWN[1], KNOWN[2], KNOWN[3], KNOWN[4]};
        for (int[] c : pure) {
            int v = ((c[0] >> 3) << 11) | ((c[1] >> 2) << 5) | (c[2] >> 3);
            Frame f = uniform(PixelFormat.RGB565, new byte[] {(byte) v, (byte) (v >> 8)}, 2);
            assertYuv(c, ColorConversion.convert(f, PixelFormat.I420));
        }
        // 0xF800 is red: low byte 0x00 first, then 0xF8.
        Frame red = uniform(PixelFormat.RGB565, new byte[] {0x00, (byte) 0xF8}, 2);
        assertYuv(KNOWN[2], ColorConversion.convert(red, PixelFormat.I420));
    }

    @Test
    void gray8IsFullRangeLuminanceMappedToLimitedRange() {
        // 0 -> 16, 255 -> 235, 128 -> 16 + 219*128/255 = 125.93 -> 126; chroma neutral.
        int[][] greys = {{0, 16}, {255, 235}, {128, 126}};
        for (int[] g : greys) {
            Frame f = uniform(PixelFormat.GRAY8, new byte[] {(byte) g[0]}, 1);
            assertYuv(new int[] {0, 0, 0, g[1], 128, 128}, ColorConversion.convert(f, PixelFormat.I420));
        }
    }

    @Test
    void nv12AndNv21DeinterleaveTheirChromaPairs() {
        // 4x2 picture: Y 0..7, then two chroma pairs.
        byte[] nv12 = {0, 1, 2, 3, 4, 5, 6, 7, 10, 20, 11, 21};
        byte[] nv21 = {0, 1, 2, 3, 4, 5, 6, 7, 20, 10, 21, 11};
        byte[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 20, 21};
        assertArrayEquals(expected, pixels(ColorConversion.convert(frame(4, 2, PixelFormat.NV12, nv12), PixelFormat.I420)));
        assertArrayEquals(expected, pixels(ColorConversion.convert(frame(4, 2, PixelFormat.NV21, nv21), PixelFormat.I420)));
        // and back
        assertArrayEquals(nv12, pixels(ColorConversion.convert(frame(4, 2, PixelFormat.I420, expected), PixelFormat.NV12)));
        assertArrayEquals(nv21, pixels(ColorConversion.convert(frame(4, 2, PixelFormat.I420, expected), PixelFormat.NV21)));
    }

    @Test
    void chromaOfATwoByTwoBlockComesFromItsAverageColour() {
        // Left column red, right column blue: average (127.5, 0, 127.5) -> (128, 0, 128) rounded.
        byte[] rgb = {(byte) 255, 0, 0, 0, 0, (byte) 255, (byte) 255, 0, 0, 0, 0, (byte) 255};
        Frame f = frame(2, 2, PixelFormat.RGB888, rgb);
        byte[] i420 = pixels(ColorConversion.convert(f, PixelFormat.I420));
        assertEquals(81, i420[0] & 0xff);
        assertEquals(41, i420[1] & 0xff);
        // U = 128 + (-37.797*128 + 112*128) / 255 = 128 + 37.25 = 165.25 -> 165
        // V = 128 + (112*128 - 18.214*128) / 255 = 128 + 47.08 = 175.08 -> 175
        assertEquals(165, i420[4] & 0xff);
        assertEquals(175, i420[5] & 0xff);
    }

    @Test
    void yuvToRgbRoundTripsWithinTwoLevels() {
        for (int[] c : KNOWN) {
            Frame f = uniform(PixelFormat.RGB888, new byte[] {(byte) c[0], (byte) c[1], (byte) c[2]}, 3);
            byte[] back = pixels(ColorConversion.convert(ColorConversion.convert(f, PixelFormat.I420), PixelFormat.RGB888));
            for (int i = 0; i < 3; i++) {
                assertTrue(Math.abs((back[i] & 0xff) - c[i]) <= 2, "colour " + java.util.Arrays.toString(c) + " came back as "
                        + (back[0] & 0xff) + "," + (back[1] & 0xff) + "," + (back[2] & 0xff));
            }
        }
    }

    @Test
    void oddSizesAreRefusedFor420WithTheValueNamed() {
        Frame f = new Frame("c", 0, 0, 3, 2, PixelFormat.RGB888, new byte[18]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ColorConversion.convert(f, PixelFormat.I420));
        assertTrue(e.getMessage().contains("width 3 is odd"), e.getMessage());
    }

    private static void assertYuv(int[] c, Frame i420) {
        byte[] p = pixels(i420);
        int luma = i420.width() * i420.height();
        for (int i = 0; i < luma; i++) {
            assertEquals(c[3], p[i] & 0xff, "Y of " + java.util.Arrays.toString(c));
        }
        assertEquals(c[4], p[luma] & 0xff, "U of " + java.util.Arrays.toString(c));
        assertEquals(c[5], p[luma + luma / 4] & 0xff, "V of " + java.util.Arrays.toString(c));
    }

    private static Frame uniform(PixelFormat format, byte[] pixel, int bytesPerPixel) {
        byte[] data = new byte[4 * 4 * bytesPerPixel];
        for (int i = 0; i < 16; i++) {
            System.arraycopy(pixel, 0, data, i * bytesPerPixel, bytesPerPixel);
        }
        return frame(4, 4, format, data);
    }

    private static Frame frame(int w, int h, PixelFormat format, byte[] data) {
        return new Frame("test", 0, 0, w, h, format, data);
    }

    private static byte[] pixels(Frame f) {
        byte[] out = new byte[f.size()];
        f.copyPixels(0, out, 0, out.length);
        return out;
    }
}
