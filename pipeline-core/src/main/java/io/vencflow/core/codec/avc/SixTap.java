package io.vencflow.core.codec.avc;

import static io.vencflow.core.codec.avc.Sad.EVEN;
import static io.vencflow.core.codec.avc.Sad.MSB;

/**
 * The luma half-sample filter of clause 8.4.2.2.1 for the b and h positions, {@code clip((E - 5F +
 * 20G + 20H - 5I + J + 16) >> 5)}, eight samples at a time in a {@code long}: the even and the odd
 * bytes each go through the filter as four 16-bit lanes. C2 does not vectorize the scalar loop
 * (bytes widened to ints and narrowed back), and this runs it several times as fast. Samples are
 * (value - 128) as the encoder stores them.
 */
final class SixTap {
    private static final long LANES = 0x0001000100010001L;
    private static final long SIGN = 0x8000800080008000L;

    private SixTap() {
    }

    /**
     * Filters {@code n} samples: {@code dst[d + i]} from the six taps {@code src[o0 + i]} to
     * {@code src[o5 + i]} (six columns for b, six rows for h).
     */
    static void filter(byte[] src, int o0, int o1, int o2, int o3, int o4, int o5, byte[] dst, int d, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long v = filter8(Sad.load(src, o0 + i), Sad.load(src, o1 + i), Sad.load(src, o2 + i),
                    Sad.load(src, o3 + i), Sad.load(src, o4 + i), Sad.load(src, o5 + i));
            Sad.store(dst, d + i, v);
        }
        for (; i < n; i++) {
            dst[d + i] = one(src[o0 + i], src[o1 + i], src[o2 + i], src[o3 + i], src[o4 + i], src[o5 + i]);
        }
    }

    /** One filtered sample from its six taps. */
    static byte one(int e, int f, int g, int h, int i, int j) {
        return HalfPlanes.clip((e - 5 * f + 20 * (g + h) - 5 * i + j + 16) >> 5);
    }

    /** The filter on eight samples a tap. */
    static long filter8(long e, long f, long g, long h, long i, long j) {
        // Unsigned samples (0..255): the filter's output is then 128 more than for the signed ones
        // (its taps sum to 32), which the clip to 0..255 and the bias back absorb.
        e ^= MSB;
        f ^= MSB;
        g ^= MSB;
        h ^= MSB;
        i ^= MSB;
        j ^= MSB;
        long even = lanes(e & EVEN, f & EVEN, g & EVEN, h & EVEN, i & EVEN, j & EVEN);
        long odd = lanes((e >>> 8) & EVEN, (f >>> 8) & EVEN, (g >>> 8) & EVEN, (h >>> 8) & EVEN, (i >>> 8) & EVEN,
                (j >>> 8) & EVEN);
        return (even | (odd << 8)) ^ MSB;
    }

    /**
     * Four 16-bit lanes of unsigned samples (0..255) a tap to four lanes of the clipped result
     * (0..255). Every intermediate stays within its lane: the positive taps sum to at most 10710,
     * the negative ones to at most 2550, so {@code positive + 2576 - negative} lies in 26..13286.
     */
    private static long lanes(long e, long f, long g, long h, long i, long j) {
        long positive = e + j + 20 * (g + h);
        long negative = 5 * (f + i);
        // (v + 16) >> 5 with v = positive - negative, plus 80 (2560 = 80 * 32 keeps it exact).
        long q = ((positive + 2576 * LANES - negative) >>> 5) & (0x07ff * LANES);
        // clip(q - 80, 0, 255) lane by lane: a lane's bit 15 after adding 0x8000 - k says q >= k.
        long atLeast80 = (((q + (0x8000 - 80) * LANES) & SIGN) >>> 15) * 0xffff;
        long r = ((q + (0x8000 - 80) * LANES) & atLeast80) - (SIGN & atLeast80);
        long over255 = (((r + (0x8000 - 256) * LANES) & SIGN) >>> 15) * 0xffff;
        return (r & ~over255) | (0xff * LANES & over255);
    }
}
