package io.vencflow.core.codec.avc;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Sad#sad} on the JDK's vector API: a row of 16 (or 8) samples widened to 16-bit lanes at
 * once. Loaded only when {@link Simd#ENABLED} (the module is resolved); same results as the packed
 * version, limits included (a sum that reaches the limit is checked every four rows here, every row
 * there: either way it is returned as at least the limit, and exact below it). Each width has its
 * own method: the JIT compiles vector code only for species it can see as constants.
 *
 * <p>Only this kernel: the SAD against an average of two planes and the half-sample filter were
 * here too, but C2 (JDK 17), inlining them into the sub-pel search and the tile loop, failed to
 * intrinsify some of their operations and boxed vectors on the heap: 7-40 MB a frame of 1280x720
 * in the steady state, varying from one JVM to the next, and no faster than the packed versions.
 * The averaged SAD alone boxed 11 MB a frame; the filter alone boxed nothing but gave the encoder
 * no speed (a median of 0.96 over six pairs of JVMs). The encoder's allocation is checked by a test.
 */
final class VectorKernels {
    private static final VectorSpecies<Byte> BYTES_16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Byte> BYTES_8 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> SHORTS_16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Short> SHORTS_8 = ShortVector.SPECIES_128;

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
