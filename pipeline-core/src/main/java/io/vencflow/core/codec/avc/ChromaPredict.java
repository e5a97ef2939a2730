package io.vencflow.core.codec.avc;

import static io.vencflow.core.codec.avc.Sad.EVEN;
import static io.vencflow.core.codec.avc.Sad.MSB;

/**
 * Chroma motion compensation, clause 8.4.2.2.2: the bilinear eighth-sample interpolation of a 4:2:0
 * chroma plane, with reference samples outside the picture taken from its nearest edge. Samples are
 * (value - 128); the weights sum to 64, so interpolating the offset values and rounding gives exactly
 * the decoder's result less 128. Whole-sample positions inside the plane are plain copies.
 */
final class ChromaPredict {
    private ChromaPredict() {
    }

    /**
     * Predicts the {@code w} x {@code h} block whose top-left sample lies at ({@code x8}, {@code y8})
     * in eighth samples of the {@code width} x {@code height} plane into {@code out} from
     * {@code outOff}, rows {@code outStride} apart.
     */
    static void predict(byte[] plane, int width, int height, int x8, int y8, int w, int h, byte[] out, int outOff,
            int outStride) {
        int x = x8 >> 3;
        int y = y8 >> 3;
        int fx = x8 & 7;
        int fy = y8 & 7;
        boolean inside = x >= 0 && y >= 0 && x + w < width && y + h < height;
        if (!inside) {
            predictClamped(plane, width, height, x, y, fx, fy, w, h, out, outOff, outStride);
            return;
        }
        if ((fx | fy) == 0) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(plane, (y + r) * width + x, out, outOff + r * outStride, w);
            }
            return;
        }
        int wa = (8 - fx) * (8 - fy);
        int wb = fx * (8 - fy);
        int wc = (8 - fx) * fy;
        int wd = fx * fy;
        if (w == 8) {
            for (int r = 0; r < h; r++) {
                int o = (y + r) * width + x;
                long v = bilinear8(Sad.load(plane, o), Sad.load(plane, o + 1), Sad.load(plane, o + width),
                        Sad.load(plane, o + width + 1), wa, wb, wc, wd);
                Sad.store(out, outOff + r * outStride, v);
            }
            return;
        }
        for (int r = 0; r < h; r++) {
            int o = (y + r) * width + x;
            int p = outOff + r * outStride;
            for (int c = 0; c < w; c++, o++) {
                out[p + c] = (byte) ((wa * plane[o] + wb * plane[o + 1] + wc * plane[o + width]
                        + wd * plane[o + width + 1] + 32) >> 6);
            }
        }
    }

    private static final long ROUND = 0x0020002000200020L;

    /**
     * The bilinear filter on eight samples a tap, as four 16-bit lanes of the even and four of the
     * odd bytes: with unsigned samples (0..255) the weighted sum plus 32 stays below 2^14 in its lane,
     * and the weights summing to 64 make the unsigned result exactly 128 more than the signed one.
     */
    static long bilinear8(long a, long b, long c, long d, int wa, int wb, int wc, int wd) {
        a ^= MSB;
        b ^= MSB;
        c ^= MSB;
        d ^= MSB;
        long even = ((a & EVEN) * wa + (b & EVEN) * wb + (c & EVEN) * wc + (d & EVEN) * wd + ROUND) >>> 6;
        long odd = (((a >>> 8) & EVEN) * wa + ((b >>> 8) & EVEN) * wb + ((c >>> 8) & EVEN) * wc
                + ((d >>> 8) & EVEN) * wd + ROUND) >>> 6;
        return ((even & EVEN) | ((odd & EVEN) << 8)) ^ MSB;
    }

    private static void predictClamped(byte[] plane, int width, int height, int x, int y, int fx, int fy, int w,
            int h, byte[] out, int outOff, int outStride) {
        int wa = (8 - fx) * (8 - fy);
        int wb = fx * (8 - fy);
        int wc = (8 - fx) * fy;
        int wd = fx * fy;
        for (int r = 0; r < h; r++) {
            int r0 = clamp(y + r, height) * width;
            int r1 = clamp(y + r + 1, height) * width;
            int p = outOff + r * outStride;
            for (int c = 0; c < w; c++) {
                int c0 = clamp(x + c, width);
                int c1 = clamp(x + c + 1, width);
                out[p + c] = (byte) ((wa * plane[r0 + c0] + wb * plane[r0 + c1] + wc * plane[r1 + c0]
                        + wd * plane[r1 + c1] + 32) >> 6);
            }
        }
    }

    private static int clamp(int v, int size) {
        return v < 0 ? 0 : Math.min(v, size - 1);
    }
}
