package io.vencflow.core.codec.avc;

import org.jcodec.codecs.h264.decode.deblock.DeblockingFilter;
import org.jcodec.common.model.Picture;

/**
 * The in-loop deblocking filter of clause 8.7, our own: frame macroblocks, one 16x16 partition per
 * inter macroblock, one reference picture, 4x4 transforms, chroma 4:2:0, filter offsets 0, edges
 * filtered across slices. It gives the same samples as JCodec's {@link DeblockingFilter} (whose
 * alpha, beta and tC0 tables it reads) in a fraction of the time; macroblock by macroblock, so that
 * the encoder can run it as a wavefront over rows on several threads. Samples are (value - 128).
 */
final class LoopFilter {
    private static final int[] ALPHA = DeblockingFilter.alphaTab;
    private static final int[] BETA = DeblockingFilter.betaTab;
    private static final int[][] TC0 = DeblockingFilter.tcs;

    private final MacroblockInfo info;
    private final int lumaStride;
    private final int chromaStride;

    LoopFilter(MacroblockInfo info) {
        this.info = info;
        this.lumaStride = info.mbWidth * 16;
        this.chromaStride = info.mbWidth * 8;
    }

    /** Filters one macroblock's edges (its left and top edges included) in place. */
    void filterMacroblock(Picture picture, int mbX, int mbY, int[] bs) {
        filterMacroblock(picture.getPlaneData(0), picture.getPlaneData(1), picture.getPlaneData(2), mbX, mbY, bs);
    }

    private void filterMacroblock(byte[] y, byte[] u, byte[] v, int mbX, int mbY, int[] bs) {
        int w = info.mbWidth;
        int mb = mbY * w + mbX;
        boolean left = mbX > 0;
        boolean top = mbY > 0;
        strengths(mb, mbX, mbY, left, top, bs);
        int qp = info.deblockingQp(mb);
        int qpLeft = left ? info.deblockingQp(mb - 1) : qp;
        int qpTop = top ? info.deblockingQp(mb - w) : qp;

        // Luma: vertical edges left to right, then horizontal edges top to bottom.
        int base = mbY * 16 * lumaStride + mbX * 16;
        for (int e = left ? 0 : 1; e < 4; e++) {
            int q = e == 0 ? (qpLeft + qp + 1) >> 1 : qp;
            for (int k = 0; k < 4; k++) {
                int s = bs[e * 4 + k];
                if (s != 0) {
                    lumaEdge(y, base + k * 4 * lumaStride + e * 4, 1, lumaStride, s, q);
                }
            }
        }
        for (int e = top ? 0 : 1; e < 4; e++) {
            int q = e == 0 ? (qpTop + qp + 1) >> 1 : qp;
            for (int k = 0; k < 4; k++) {
                int s = bs[16 + e * 4 + k];
                if (s != 0) {
                    lumaEdge(y, base + e * 4 * lumaStride + k * 4, lumaStride, 1, s, q);
                }
            }
        }
        // Chroma: edges 0 and 2 of luma, two chroma samples per luma 4x4 block.
        int qpc = Quant.chromaQp(qp);
        int qpcLeft = Quant.chromaQp(qpLeft);
        int qpcTop = Quant.chromaQp(qpTop);
        int cbase = mbY * 8 * chromaStride + mbX * 8;
        filterChroma(u, cbase, left, top, qpc, qpcLeft, qpcTop, bs);
        filterChroma(v, cbase, left, top, qpc, qpcLeft, qpcTop, bs);
    }

    private void filterChroma(byte[] plane, int cbase, boolean left, boolean top, int qpc, int qpcLeft, int qpcTop,
            int[] bs) {
        for (int e = left ? 0 : 2; e < 4; e += 2) {
            int q = e == 0 ? (qpcLeft + qpc + 1) >> 1 : qpc;
            for (int k = 0; k < 4; k++) {
                int s = bs[e * 4 + k];
                if (s != 0) {
                    chromaEdge(plane, cbase + k * 2 * chromaStride + e * 2, 1, chromaStride, s, q);
                }
            }
        }
        for (int e = top ? 0 : 2; e < 4; e += 2) {
            int q = e == 0 ? (qpcTop + qpc + 1) >> 1 : qpc;
            for (int k = 0; k < 4; k++) {
                int s = bs[16 + e * 4 + k];
                if (s != 0) {
                    chromaEdge(plane, cbase + e * 2 * chromaStride + k * 2, chromaStride, 1, s, q);
                }
            }
        }
    }

    /** Boundary strengths (8.7.2.1): [e*4+k] vertical edge e, segment k; [16+e*4+k] horizontal. */
    private void strengths(int mb, int mbX, int mbY, boolean left, boolean top, int[] bs) {
        int w = info.mbWidth;
        boolean intra = info.isIntra(mb);
        if (intra) {
            for (int i = 0; i < 32; i++) {
                bs[i] = (i & 12) == 0 ? 4 : 3; // edge 0 is the macroblock edge
            }
            return;
        }
        int w4 = w * 4;
        int nzRow = mbY * 4 * w4 + mbX * 4;
        int[] nz = info.nonZero;
        // bS 2 where either 4x4 block has coefficients, else 1 where their vectors differ by a whole
        // sample or more (one reference picture), else 0.
        for (int e = 1; e < 4; e++) {
            for (int k = 0; k < 4; k++) {
                int q = nzRow + k * w4 + e;
                bs[e * 4 + k] = interStrength(q, q - 1);
                q = nzRow + e * w4 + k;
                bs[16 + e * 4 + k] = interStrength(q, q - w4);
            }
        }
        if (left) {
            boolean pIntra = info.isIntra(mb - 1);
            for (int k = 0; k < 4; k++) {
                int q = nzRow + k * w4;
                bs[k] = pIntra ? 4 : interStrength(q, q - 1);
            }
        }
        if (top) {
            boolean pIntra = info.isIntra(mb - w);
            for (int k = 0; k < 4; k++) {
                int q = nzRow + k;
                bs[16 + k] = pIntra ? 4 : interStrength(q, q - w4);
            }
        }
    }

    /** bS across the edge between inter 4x4 blocks {@code q} and {@code p} (indexes of 4x4 blocks). */
    private int interStrength(int q, int p) {
        int[] nz = info.nonZero;
        if (nz[q] != 0 || nz[p] != 0) {
            return 2;
        }
        return Math.abs(info.mvx[q] - info.mvx[p]) >= 4 || Math.abs(info.mvy[q] - info.mvy[p]) >= 4 ? 1 : 0;
    }

    /**
     * Filters 4 sample lines across one luma edge segment: {@code pos} is q0 of the first line,
     * {@code step} crosses the edge (p side at -step), {@code along} moves to the next line.
     */
    private static void lumaEdge(byte[] s, int pos, int step, int along, int bs, int qp) {
        int alpha = ALPHA[qp];
        int beta = BETA[qp];
        if (alpha == 0 || beta == 0) {
            return;
        }
        int tc0 = bs < 4 ? TC0[bs - 1][qp] : 0;
        for (int line = 0; line < 4; line++, pos += along) {
            int p0 = s[pos - step];
            int q0 = s[pos];
            int p1 = s[pos - 2 * step];
            int q1 = s[pos + step];
            if (Math.abs(p0 - q0) >= alpha || Math.abs(p1 - p0) >= beta || Math.abs(q1 - q0) >= beta) {
                continue;
            }
            int p2 = s[pos - 3 * step];
            int q2 = s[pos + 2 * step];
            boolean ap = Math.abs(p2 - p0) < beta;
            boolean aq = Math.abs(q2 - q0) < beta;
            if (bs < 4) {
                int tc = tc0 + (ap ? 1 : 0) + (aq ? 1 : 0);
                int delta = clip3(-tc, tc, (((q0 - p0) << 2) + (p1 - q1) + 4) >> 3);
                s[pos - step] = clip1(p0 + delta);
                s[pos] = clip1(q0 - delta);
                int avg = (p0 + q0 + 1) >> 1;
                if (ap) {
                    s[pos - 2 * step] = (byte) (p1 + clip3(-tc0, tc0, (p2 + avg - (p1 << 1)) >> 1));
                }
                if (aq) {
                    s[pos + step] = (byte) (q1 + clip3(-tc0, tc0, (q2 + avg - (q1 << 1)) >> 1));
                }
            } else {
                boolean strong = Math.abs(p0 - q0) < ((alpha >> 2) + 2);
                if (ap && strong) {
                    int p3 = s[pos - 4 * step];
                    s[pos - step] = (byte) ((p2 + 2 * p1 + 2 * p0 + 2 * q0 + q1 + 4) >> 3);
                    s[pos - 2 * step] = (byte) ((p2 + p1 + p0 + q0 + 2) >> 2);
                    s[pos - 3 * step] = (byte) ((2 * p3 + 3 * p2 + p1 + p0 + q0 + 4) >> 3);
                } else {
                    s[pos - step] = (byte) ((2 * p1 + p0 + q1 + 2) >> 2);
                }
                if (aq && strong) {
                    int q3 = s[pos + 3 * step];
                    s[pos] = (byte) ((p1 + 2 * p0 + 2 * q0 + 2 * q1 + q2 + 4) >> 3);
                    s[pos + step] = (byte) ((p0 + q0 + q1 + q2 + 2) >> 2);
                    s[pos + 2 * step] = (byte) ((2 * q3 + 3 * q2 + q1 + q0 + p0 + 4) >> 3);
                } else {
                    s[pos] = (byte) ((2 * q1 + q0 + p1 + 2) >> 2);
                }
            }
        }
    }

    /** Filters 2 chroma sample lines across one edge segment (chroma-style: p0 and q0 only). */
    private static void chromaEdge(byte[] s, int pos, int step, int along, int bs, int qp) {
        int alpha = ALPHA[qp];
        int beta = BETA[qp];
        if (alpha == 0 || beta == 0) {
            return;
        }
        int tc = bs < 4 ? TC0[bs - 1][qp] + 1 : 0;
        for (int line = 0; line < 2; line++, pos += along) {
            int p0 = s[pos - step];
            int q0 = s[pos];
            int p1 = s[pos - 2 * step];
            int q1 = s[pos + step];
            if (Math.abs(p0 - q0) >= alpha || Math.abs(p1 - p0) >= beta || Math.abs(q1 - q0) >= beta) {
                continue;
            }
            if (bs < 4) {
                int delta = clip3(-tc, tc, (((q0 - p0) << 2) + (p1 - q1) + 4) >> 3);
                s[pos - step] = clip1(p0 + delta);
                s[pos] = clip1(q0 - delta);
            } else {
                s[pos - step] = (byte) ((2 * p1 + p0 + q1 + 2) >> 2);
                s[pos] = (byte) ((2 * q1 + q0 + p1 + 2) >> 2);
            }
        }
    }

    private static int clip3(int lo, int hi, int v) {
        return v < lo ? lo : Math.min(v, hi);
    }

    private static byte clip1(int v) {
        return (byte) (v < -128 ? -128 : Math.min(v, 127));
    }
}
