package io.vencflow.core.codec.avc;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels of {@link Sad}, {@link SixTap} and {@link HalfPlanes} on the JDK's vector API: a row
 * of 16 (or 8) samples widened to 16-bit (or 32-bit) lanes at once. Loaded only when {@link Simd#ENABLED} (the module is resolved); same results as
 * the packed versions, limits included (a sum that reaches the limit is checked every four rows
 * here, every row there: either way it is returned as at least the limit, and exact below it).
 * Each width has its own method: the JIT compiles vector code only for species it can see as
 * constants.
 */
final class VectorKernels {
    private static final VectorSpecies<Byte> BYTES_16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Byte> BYTES_8 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> SHORTS_16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Short> SHORTS_8 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> INTS_8 = IntVector.SPECIES_256;

    private VectorKernels() {
    }

    /** The width in bits of this CPU's preferred vectors. */
    static int preferredBits() {
        return ShortVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** As {@link Sad#sad}. */
    static int sad(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, int w, int h, int limit) {
        return w == 16 ? sad16(a, aOff, aStride, b, bOff, bStride, h, limit)
                : sad8(a, aOff, aStride, b, bOff, bStride, h, limit);
    }

    private static int sad16(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, int h, int limit) {
        ShortVector lanes = ShortVector.zero(SHORTS_16);
        for (int r = 0; r < h; r++) {
            ShortVector x = widen16(a, aOff + r * aStride);
            ShortVector y = widen16(b, bOff + r * bStride);
            lanes = lanes.add(x.sub(y).abs()); // at most 16 * 255 a lane
            if ((r & 3) == 3 && r + 1 < h) {
                int sum = total(lanes);
                if (sum >= limit) {
                    return sum;
                }
            }
        }
        return total(lanes);
    }

    private static int sad8(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, int h, int limit) {
        ShortVector lanes = ShortVector.zero(SHORTS_8);
        for (int r = 0; r < h; r++) {
            ShortVector x = widen8(a, aOff + r * aStride);
            ShortVector y = widen8(b, bOff + r * bStride);
            lanes = lanes.add(x.sub(y).abs());
            if ((r & 3) == 3 && r + 1 < h) {
                int sum = total(lanes);
                if (sum >= limit) {
                    return sum;
                }
            }
        }
        return total(lanes);
    }

    /** As {@link Sad#sadAverage}. */
    static int sadAverage(byte[] src, int srcOff, int srcStride, byte[] p, int pOff, byte[] q, int qOff, int stride,
            int w, int h, int limit) {
        return w == 16 ? sadAverage16(src, srcOff, srcStride, p, pOff, q, qOff, stride, h, limit)
                : sadAverage8(src, srcOff, srcStride, p, pOff, q, qOff, stride, h, limit);
    }

    private static int sadAverage16(byte[] src, int srcOff, int srcStride, byte[] p, int pOff, byte[] q, int qOff,
            int stride, int h, int limit) {
        ShortVector lanes = ShortVector.zero(SHORTS_16);
        for (int r = 0; r < h; r++) {
            ShortVector s = widen16(src, srcOff + r * srcStride);
            // (p + q + 1) >> 1 of (value - 128) samples is the average of the values, less 128.
            ShortVector average = widen16(p, pOff + r * stride).add(widen16(q, qOff + r * stride)).add((short) 1)
                    .lanewise(VectorOperators.ASHR, 1);
            lanes = lanes.add(s.sub(average).abs());
            if ((r & 3) == 3 && r + 1 < h) {
                int sum = total(lanes);
                if (sum >= limit) {
                    return sum;
                }
            }
        }
        return total(lanes);
    }

    private static int sadAverage8(byte[] src, int srcOff, int srcStride, byte[] p, int pOff, byte[] q, int qOff,
            int stride, int h, int limit) {
        ShortVector lanes = ShortVector.zero(SHORTS_8);
        for (int r = 0; r < h; r++) {
            ShortVector s = widen8(src, srcOff + r * srcStride);
            ShortVector average = widen8(p, pOff + r * stride).add(widen8(q, qOff + r * stride)).add((short) 1)
                    .lanewise(VectorOperators.ASHR, 1);
            lanes = lanes.add(s.sub(average).abs());
            if ((r & 3) == 3 && r + 1 < h) {
                int sum = total(lanes);
                if (sum >= limit) {
                    return sum;
                }
            }
        }
        return total(lanes);
    }

    /** As {@link SixTap#filter} on eight samples (TILE of HalfPlanes). */
    static void sixTap8(byte[] src, int o0, int o1, int o2, int o3, int o4, int o5, byte[] dst, int d) {
        ShortVector v = sixTap(widen8(src, o0), widen8(src, o1), widen8(src, o2), widen8(src, o3), widen8(src, o4),
                widen8(src, o5));
        // (v + 16) >> 5, clipped to the (value - 128) range; at most 20 * 2 * 128 + 2 * 128 in size.
        v = v.add((short) 16).lanewise(VectorOperators.ASHR, 5).max((short) -128).min((short) 127);
        ((ByteVector) v.convertShape(VectorOperators.S2B, BYTES_8, 0)).intoArray(dst, d);
    }

    /**
     * As {@link HalfPlanes}' centre tile: the eight j samples of each of eight rows, the vertical
     * filter over the unrounded horizontal sums of 13 rows of {@code luma} whose offsets (the tile's
     * column 0) are {@code rows[0..12]}; row {@code r} goes to {@code dst[out + r * stride]}.
     */
    static void centreTile(byte[] luma, int[] rows, byte[] dst, int out, int stride) {
        IntVector m0 = horizontal(luma, rows[0]);
        IntVector m1 = horizontal(luma, rows[1]);
        IntVector m2 = horizontal(luma, rows[2]);
        IntVector m3 = horizontal(luma, rows[3]);
        IntVector m4 = horizontal(luma, rows[4]);
        for (int r = 0; r < 8; r++) {
            IntVector m5 = horizontal(luma, rows[r + 5]);
            IntVector v = m0.add(m5).add(m2.add(m3).mul(20)).sub(m1.add(m4).mul(5));
            v = v.add(512).lanewise(VectorOperators.ASHR, 10).max(-128).min(127);
            ((ByteVector) v.convertShape(VectorOperators.I2B, BYTES_8, 0)).intoArray(dst, out + r * stride);
            m0 = m1;
            m1 = m2;
            m2 = m3;
            m3 = m4;
            m4 = m5;
        }
    }

    /** The unrounded horizontal six-tap sums of the eight samples from {@code o}, as ints. */
    private static IntVector horizontal(byte[] luma, int o) {
        ShortVector v = sixTap(widen8(luma, o - 2), widen8(luma, o - 1), widen8(luma, o), widen8(luma, o + 1),
                widen8(luma, o + 2), widen8(luma, o + 3));
        return (IntVector) v.convertShape(VectorOperators.S2I, INTS_8, 0);
    }

    /** {@code e - 5f + 20g + 20h - 5i + j} lane by lane (at most 5 * 2 * 128 + 20 * 2 * 128 in size: no overflow). */
    private static ShortVector sixTap(ShortVector e, ShortVector f, ShortVector g, ShortVector h, ShortVector i,
            ShortVector j) {
        return e.add(j).add(g.add(h).mul((short) 20)).sub(f.add(i).mul((short) 5));
    }

    private static ShortVector widen16(byte[] a, int off) {
        return (ShortVector) ByteVector.fromArray(BYTES_16, a, off).convertShape(VectorOperators.B2S, SHORTS_16, 0);
    }

    private static ShortVector widen8(byte[] a, int off) {
        return (ShortVector) ByteVector.fromArray(BYTES_8, a, off).convertShape(VectorOperators.B2S, SHORTS_8, 0);
    }

    /**
     * The sum of the lanes. The lanes add up in 16 bits, and no block here sums to 65536 or more
     * (16 x 16 x 255 at most), so the low 16 bits are the sum.
     */
    private static int total(ShortVector lanes) {
        return (int) (lanes.reduceLanesToLong(VectorOperators.ADD) & 0xffff);
    }
}
