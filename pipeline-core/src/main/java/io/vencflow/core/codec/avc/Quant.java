package io.vencflow.core.codec.avc;

import org.jcodec.codecs.h264.decode.CoeffTransformer;

/**
 * The residual core: forward quantization with dead zones (ours), and reconstruction through
 * JCodec's {@link CoeffTransformer}, whose dequantization and inverse transforms follow the
 * standard's decoding process exactly, so what we reconstruct is what every decoder reconstructs.
 *
 * <p>Blocks are 16 ints in raster order (row by row). Quantization keeps levels within the range
 * CAVLC can code in the Baseline profile (level_prefix at most 15).
 */
final class Quant {
    /** Multiplication factors MF(qp % 6, position class): positions (0,0)-class, (1,1)-class, others. */
    private static final int[][] MF = {
            {13107, 5243, 8066}, {11916, 4660, 7490}, {10082, 4194, 6554},
            {9362, 3647, 5825}, {8192, 3355, 5243}, {7282, 2893, 4559}};
    /** Position class of each raster position: 0 for even row and column, 1 for odd both, 2 else. */
    private static final int[] POS_CLASS = {0, 2, 0, 2, 2, 1, 2, 1, 0, 2, 0, 2, 2, 1, 2, 1};
    /** Chroma QP for luma QP + chroma_qp_index_offset (0 here), Table 8-15. */
    private static final int[] CHROMA_QP = new int[52];
    static final int MAX_LEVEL = 2063;

    static {
        int[] high = {29, 30, 31, 32, 32, 33, 34, 34, 35, 35, 36, 36, 37, 37, 37, 38, 38, 38, 39, 39, 39, 39};
        for (int qp = 0; qp < 52; qp++) {
            CHROMA_QP[qp] = qp < 30 ? qp : high[qp - 30];
        }
    }

    private Quant() {
    }

    static int chromaQp(int lumaQp) {
        return CHROMA_QP[lumaQp];
    }

    /**
     * The forward core transform (clause 8.5.12's inverse, as every encoder forms it) of the residual
     * between the 4x4 block of {@code src} at {@code off} and its prediction at {@code pOff} of
     * {@code pred}, into {@code out} in raster order: the residual is formed inside the first pass
     * rather than stored first.
     */
    static void forward4x4(byte[] src, int off, int stride, byte[] pred, int pOff, int pStride, int[] out) {
        for (int r = 0; r < 4; r++) {
            int s = off + r * stride;
            int p = pOff + r * pStride;
            int d0 = src[s] - pred[p];
            int d1 = src[s + 1] - pred[p + 1];
            int d2 = src[s + 2] - pred[p + 2];
            int d3 = src[s + 3] - pred[p + 3];
            int t0 = d0 + d3;
            int t1 = d1 + d2;
            int t2 = d1 - d2;
            int t3 = d0 - d3;
            int o = r * 4;
            out[o] = t0 + t1;
            out[o + 1] = (t3 << 1) + t2;
            out[o + 2] = t0 - t1;
            out[o + 3] = t3 - (t2 << 1);
        }
        for (int c = 0; c < 4; c++) {
            int t0 = out[c] + out[c + 12];
            int t1 = out[c + 4] + out[c + 8];
            int t2 = out[c + 4] - out[c + 8];
            int t3 = out[c] - out[c + 12];
            out[c] = t0 + t1;
            out[c + 4] = t2 + (t3 << 1);
            out[c + 8] = t0 - t1;
            out[c + 12] = t3 - (t2 << 1);
        }
    }

    /**
     * Quantizes a forward-transformed 4x4 block in place from {@code first} (1 when its DC is coded
     * apart). Returns the number of non-zero levels. {@code intra} picks the dead zone: rounding
     * offset 1/3 for intra, 1/6 for inter.
     */
    static int quantize4x4(int[] block, int qp, boolean intra, int first) {
        // Most blocks come out all zero (about 9 in 10 inter blocks at QPs 22-34, 98% of chroma AC):
        // one comparison a coefficient finds them, with no multiplication and one branch.
        int[] least = LEAST_NONZERO[intra ? 1 : 0][qp];
        int below = 0; // stays non-negative while every |c| is below its least non-zero value
        for (int i = first; i < 16; i++) {
            below |= least[i] - 1 - Math.abs(block[i]);
        }
        if (below >= 0) {
            java.util.Arrays.fill(block, first, 16, 0);
            return 0;
        }
        int qbits = 15 + qp / 6;
        int[] mf = MF_BY_POSITION[qp % 6];
        int offset = (1 << qbits) / (intra ? 3 : 6);
        int nonZero = 0;
        for (int i = first; i < 16; i++) {
            int c = block[i];
            // |c| < 2^15 after the forward transform of 8-bit residuals: the product fits an int.
            int level = Math.min((Math.abs(c) * mf[i] + offset) >> qbits, MAX_LEVEL);
            block[i] = c < 0 ? -level : level;
            nonZero += level != 0 ? 1 : 0;
        }
        return nonZero;
    }

    /** The least absolute coefficient that quantizes to a non-zero level, by dead zone, QP and position. */
    private static final int[][][] LEAST_NONZERO = new int[2][52][16];

    static {
        for (int qp = 0; qp < 52; qp++) {
            int qbits = 15 + qp / 6;
            for (int intra = 0; intra < 2; intra++) {
                int offset = (1 << qbits) / (intra == 1 ? 3 : 6);
                for (int i = 0; i < 16; i++) {
                    int mf = MF[qp % 6][POS_CLASS[i]];
                    // level >= 1 exactly when |c| * mf + offset >= 2^qbits
                    LEAST_NONZERO[intra][qp][i] = ((1 << qbits) - offset + mf - 1) / mf;
                }
            }
        }
    }

    /**
     * The largest sum of absolute residual differences of a 4x4 block for which every level of its
     * forward transform quantizes to zero at {@code qp}: a coefficient is at most a_u * a_v times that
     * sum (a = 1 for rows 0 and 2 of the core transform, 2 for rows 1 and 3), so the test needs no
     * transform. Sufficient, not necessary: a block above it may still come out all zero.
     */
    static int zeroSad4x4(int qp, boolean intra) {
        return ZERO_SAD[intra ? 1 : 0][qp];
    }

    private static final int[][] ZERO_SAD = new int[2][52];

    static {
        for (int qp = 0; qp < 52; qp++) {
            int[] mf = MF[qp % 6];
            long weighted = Math.max(mf[0], Math.max(2L * mf[2], 4L * mf[1]));
            for (int intra = 0; intra < 2; intra++) {
                int qbits = 15 + qp / 6;
                long room = (1L << qbits) - (1 << qbits) / (intra == 1 ? 3 : 6) - 1;
                ZERO_SAD[intra][qp] = (int) (room / weighted);
            }
        }
    }

    /** MF by raster position, for each qp % 6. */
    private static final int[][] MF_BY_POSITION = new int[6][16];

    static {
        for (int q = 0; q < 6; q++) {
            for (int i = 0; i < 16; i++) {
                MF_BY_POSITION[q][i] = MF[q][POS_CLASS[i]];
            }
        }
    }

    /** Quantizes the 16 Hadamard-transformed luma DC values of an Intra16x16 macroblock in place. */
    static int quantizeLumaDc(int[] dc, int qp) {
        return quantizeDc(dc, 16, qp);
    }

    /** Quantizes the 4 Hadamard-transformed chroma DC values of one plane in place. */
    static int quantizeChromaDc(int[] dc, int qp, boolean intra) {
        return quantizeDc(dc, 4, qp, intra);
    }

    private static int quantizeDc(int[] dc, int n, int qp) {
        return quantizeDc(dc, n, qp, true);
    }

    private static int quantizeDc(int[] dc, int n, int qp, boolean intra) {
        int qbits = 16 + qp / 6;
        int mf = MF[qp % 6][0];
        int offset = (1 << qbits) / (intra ? 3 : 6);
        int nonZero = 0;
        for (int i = 0; i < n; i++) {
            int c = dc[i];
            int level = (int) (((long) Math.abs(c) * mf + offset) >> qbits);
            level = Math.min(level, MAX_LEVEL);
            dc[i] = c < 0 ? -level : level;
            if (level != 0) {
                nonZero++;
            }
        }
        return nonZero;
    }

    /**
     * Turns levels into residual samples in place: dequantize, put the already dequantized
     * {@code dc} in front when the DC is coded apart ({@code withDc} false), inverse transform.
     */
    static void reconstruct4x4(int[] block, int qp, boolean dcApart, int dc) {
        CoeffTransformer.dequantizeAC(block, qp, null);
        if (dcApart) {
            block[0] = dc;
        }
        CoeffTransformer.idct4x4(block);
    }

    /** Dequantizes luma DC levels in place (inverse Hadamard, then scale), as the decoder does. */
    static void reconstructLumaDc(int[] dc, int qp) {
        CoeffTransformer.invDC4x4(dc);
        CoeffTransformer.dequantizeDC4x4(dc, qp, null);
    }

    /** Dequantizes chroma DC levels in place (inverse 2x2 Hadamard, then scale), as the decoder does. */
    static void reconstructChromaDc(int[] dc, int qp) {
        CoeffTransformer.invDC2x2(dc);
        CoeffTransformer.dequantizeDC2x2(dc, qp, null);
    }

    /**
     * Zeroes blocks whose few small levels cost more bits than they give back (x264's decimation
     * idea): a block scores by the run of zeros in front of each ±1 level; any larger level keeps it.
     * Returns the score, {@link #KEEP_SCORE} or more meaning "keep".
     */
    static int decimateScore(int[] block, int first, int[] scan) {
        int idx = 15;
        while (idx >= first && block[scan[idx]] == 0) {
            idx--;
        }
        int score = 0;
        while (idx >= first) {
            int level = block[scan[idx--]];
            if (level > 1 || level < -1) {
                return KEEP_SCORE;
            }
            int run = 0;
            while (idx >= first && block[scan[idx]] == 0) {
                idx--;
                run++;
            }
            score += RUN_SCORE[run];
        }
        return score;
    }

    /** A {@link #decimateScore} that keeps its block whatever else is coded (a level above 1 scores it). */
    static final int KEEP_SCORE = 9;

    private static final int[] RUN_SCORE = {3, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
}
