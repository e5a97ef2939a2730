package io.vencflow.core.codec.avc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Sums of absolute differences over blocks 8 or 16 samples wide: the plain SAD on the vector API
 * where {@link Simd#ENABLED}, else (and the SAD against an average of two planes always) eight
 * samples at a time in one {@code long} (SIMD within a register):
 * C2 does not vectorize the scalar loop, and this runs it about 2.3 times as fast. Samples are (value - 128) as the encoder stores them. Each sum stops at
 * the end of the first row where it reaches {@code limit}, returning a value of at least
 * {@code limit}; below it the sum is exact.
 */
final class Sad {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The top bit of each byte lane: flipping it turns signed samples into unsigned ones (value + 128) and back. */
    static final long MSB = 0x8080808080808080L;
    private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
    private static final long LSB = 0x0101010101010101L;
    /** The even byte lanes, as the low bytes of four 16-bit lanes. */
    static final long EVEN = 0x00ff00ff00ff00ffL;
    /** Multiplying four 16-bit lanes by this sums them into the top lane. */
    private static final long SUM16 = 0x0001000100010001L;

    private Sad() {
    }

    /**
     * The SAD of the {@code w} x {@code h} blocks of {@code a} and {@code b} ({@code w} 8 or 16,
     * {@code h} at most 16).
     */
    static int sad(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, int w, int h, int limit) {
        if (Simd.ENABLED) {
            return VectorKernels.sad(a, aOff, aStride, b, bOff, bStride, w, h, limit);
        }
        return sadPacked(a, aOff, aStride, b, bOff, bStride, w, h, limit);
    }

    /** {@link #sad} eight samples to a {@code long}. */
    static int sadPacked(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, int w, int h, int limit) {
        long lanes = 0;
        for (int r = 0; r < h; r++) {
            int ai = aOff + r * aStride;
            int bi = bOff + r * bStride;
            long d = absDiff(load(a, ai), load(b, bi));
            lanes += pairSums(d);
            if (w == 16) {
                d = absDiff(load(a, ai + 8), load(b, bi + 8));
                lanes += pairSums(d);
            }
            int sum = total(lanes);
            if (sum >= limit) {
                return sum;
            }
        }
        return total(lanes);
    }

    /**
     * The SAD between the block of {@code src} and the rounded average {@code (p + q + 1) >> 1} of
     * the blocks of {@code p} and {@code q}, which share {@code stride}: a quarter-sample prediction.
     * Eight samples to a {@code long} even with the vector API: inlined into the sub-pel search, C2
     * (JDK 17) boxed that kernel's vectors on the heap, megabytes a frame (see VectorKernels).
     */
    static int sadAverage(byte[] src, int srcOff, int srcStride, byte[] p, int pOff, byte[] q, int qOff, int stride,
            int w, int h, int limit) {
        long lanes = 0;
        for (int r = 0; r < h; r++) {
            int si = srcOff + r * srcStride;
            int pi = pOff + r * stride;
            int qi = qOff + r * stride;
            long d = absDiff(load(src, si), average(load(p, pi), load(q, qi)));
            lanes += pairSums(d);
            if (w == 16) {
                d = absDiff(load(src, si + 8), average(load(p, pi + 8), load(q, qi + 8)));
                lanes += pairSums(d);
            }
            int sum = total(lanes);
            if (sum >= limit) {
                return sum;
            }
        }
        return total(lanes);
    }

    /**
     * The SADs of the sixteen 4x4 blocks of a 16x16 block of {@code src} against {@code p}, or against
     * the rounded average of {@code p} and {@code q} when {@code q} is not null ({@code p} and
     * {@code q} share {@code stride}), into {@code out} in raster order. Returns their total, or stops
     * after the first row of blocks where the total reaches {@code limit} and returns at least
     * {@code limit} (then {@code out} is incomplete). One pass, eight samples to a {@code long}: the
     * 16x16 SAD and then 16 block SADs of a formed prediction took two.
     */
    static int blockSads16x16(byte[] src, int srcOff, int srcStride, byte[] p, int pOff, byte[] q, int qOff,
            int stride, int limit, int[] out) {
        int total = 0;
        for (int by = 0; by < 4; by++) {
            long left = 0; // blocks 0 and 1 of this row of blocks: two 16-bit lanes each
            long right = 0; // blocks 2 and 3
            for (int r = by * 4; r < by * 4 + 4; r++) {
                int si = srcOff + r * srcStride;
                int pi = pOff + r * stride;
                long p0 = load(p, pi);
                long p1 = load(p, pi + 8);
                if (q != null) {
                    int qi = qOff + r * stride;
                    p0 = average(p0, load(q, qi));
                    p1 = average(p1, load(q, qi + 8));
                }
                long d = absDiff(load(src, si), p0);
                left += pairSums(d);
                d = absDiff(load(src, si + 8), p1);
                right += pairSums(d);
            }
            int o = by * 4;
            out[o] = lowPair(left);
            out[o + 1] = highPair(left);
            out[o + 2] = lowPair(right);
            out[o + 3] = highPair(right);
            total += out[o] + out[o + 1] + out[o + 2] + out[o + 3];
            if (total >= limit && by < 3) {
                return total;
            }
        }
        return total;
    }

    /**
     * The SADs and the residual sums ({@code src} less {@code pred}) of the four 4x4 blocks (raster
     * order) of an 8x8 block of {@code src} and a row-major 8x8 {@code pred}: a chroma macroblock
     * plane. A row of both blocks side by side is one {@code long}.
     */
    static void blocks8x8(byte[] src, int srcOff, int srcStride, byte[] pred, int[] sads, int[] sums) {
        for (int by = 0; by < 2; by++) {
            long sad = 0;
            long plus = 0;
            long minus = 0;
            for (int r = by * 4; r < by * 4 + 4; r++) {
                long s = load(src, srcOff + r * srcStride);
                long p = load(pred, r * 8);
                long d = absDiff(s, p);
                sad += pairSums(d);
                s ^= MSB; // unsigned: the 128 offsets of the two sums cancel in their difference
                p ^= MSB;
                plus += pairSums(s);
                minus += pairSums(p);
            }
            int o = by * 2;
            sads[o] = lowPair(sad);
            sads[o + 1] = highPair(sad);
            sums[o] = lowPair(plus) - lowPair(minus);
            sums[o + 1] = highPair(plus) - highPair(minus);
        }
    }

    /** The sums of adjacent byte lanes (0 and 1, 2 and 3, ...) of eight unsigned bytes, as four 16-bit lanes. */
    private static long pairSums(long bytes) {
        return (bytes & EVEN) + ((bytes >>> 8) & EVEN);
    }

    /**
     * The sum of 16-bit lanes 0 and 1: of the first four samples of eight, a 4x4 block's left of its
     * neighbour's. The lanes here are at most 4 rows x 2 x 255, so the sum stays in 16 bits.
     */
    private static int lowPair(long lanes) {
        return (int) (lanes + (lanes >>> 16)) & 0xffff;
    }

    /** The sum of 16-bit lanes 2 and 3: of the last four samples of eight (see {@link #lowPair}). */
    private static int highPair(long lanes) {
        return (int) ((lanes >>> 32) + (lanes >>> 48)) & 0xffff;
    }

    /** Eight samples from {@code off}, little-endian: sample {@code off + i} in byte lane i. */
    static long load(byte[] a, int off) {
        return (long) LONGS.get(a, off);
    }

    /** Eight samples to {@code off}, as {@link #load} reads them. */
    static void store(byte[] a, int off, long samples) {
        LONGS.set(a, off, samples);
    }

    /**
     * {@code |x - y|} in each byte lane of two words of signed samples. Biased by 128 the samples
     * are unsigned; the lane difference is formed without borrows crossing lanes, and the lanes
     * where x < y are negated.
     */
    static long absDiff(long x, long y) {
        x ^= MSB;
        y ^= MSB;
        long d = ((x | MSB) - (y & LOW7)) ^ ((x ^ ~y) & MSB); // x - y mod 256 in each lane
        long below = (((~x & y) | (~(x ^ y) & d)) & MSB) >>> 7; // 1 in the lanes where x < y
        // There the lane is 256 - d = ~d + 1, and ~d is never 0xff (d is not 0), so no carry leaves it.
        return (d ^ (below * 0xff)) + below;
    }

    /** {@code (x + y + 1) >> 1} in each byte lane of two words of signed samples. */
    static long average(long x, long y) {
        // Biasing both by 128 biases the average by 128: average the unsigned lanes, then unbias.
        x ^= MSB;
        y ^= MSB;
        return ((x | y) - (((x ^ y) >>> 1) & LOW7)) ^ MSB;
    }

    /** The sum of the four 16-bit lanes (which must not exceed 65535 together). */
    private static int total(long lanes) {
        return (int) ((lanes * SUM16) >>> 48);
    }
}
