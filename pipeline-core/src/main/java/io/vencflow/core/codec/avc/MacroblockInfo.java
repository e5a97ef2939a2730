package io.vencflow.core.codec.avc;

/**
 * What one picture's encode leaves behind per macroblock and per 4x4 luma block: the facts that
 * neighbouring macroblocks predict from (types, motion vectors) and that the deblocking filter reads
 * (QP, non-zero coefficient counts). The workers of the wavefront write disjoint rows of it.
 */
final class MacroblockInfo {
    static final byte NONE = 0;
    static final byte I16X16 = 1;
    static final byte P16X16 = 2;
    static final byte P_SKIP = 3;
    static final byte I4X4 = 4;
    /** Samples sent as they are (I_PCM): intra, and QP 0 to the deblocking filter ({@link #deblockingQp}). */
    static final byte I_PCM = 5;

    final int mbWidth;
    final int mbHeight;
    final byte[] type;
    /** QP_Y of each macroblock, as the next one's mb_qp_delta counts from it. */
    final int[] qp;
    /** Quarter-pel motion vector of each 4x4 luma block, (mbHeight*4) rows of (mbWidth*4); 0 in intra. */
    final int[] mvx;
    final int[] mvy;
    /** total_coeff of each 4x4 luma block, (mbHeight*4) rows of (mbWidth*4). */
    final int[] nonZero;
    /** Intra 4x4 prediction mode of each 4x4 luma block; 2 (DC) in macroblocks not coded Intra4x4. */
    final int[] intra4x4Mode;

    /**
     * The motion vector of each macroblock (its top-left 4x4 block's) in the last P picture, for the
     * motion search of the next: moving objects keep moving. Kept across I pictures.
     */
    final int[] previousMvx;
    final int[] previousMvy;
    /** Whether a P picture has been coded since the encoder started: only then are those vectors set. */
    boolean hasPrevious;

    MacroblockInfo(int mbWidth, int mbHeight) {
        this.mbWidth = mbWidth;
        this.mbHeight = mbHeight;
        int n = mbWidth * mbHeight;
        this.type = new byte[n];
        this.qp = new int[n];
        this.mvx = new int[n * 16];
        this.mvy = new int[n * 16];
        this.nonZero = new int[n * 16];
        this.intra4x4Mode = new int[n * 16];
        this.previousMvx = new int[n];
        this.previousMvy = new int[n];
    }

    /** Keeps the vectors of the P picture just coded as {@link #previousMvx}/{@link #previousMvy}. */
    void keepMotion() {
        int w4 = mbWidth * 4;
        for (int mbY = 0; mbY < mbHeight; mbY++) {
            for (int mbX = 0; mbX < mbWidth; mbX++) {
                int block = (mbY << 2) * w4 + (mbX << 2);
                previousMvx[mbY * mbWidth + mbX] = mvx[block];
                previousMvy[mbY * mbWidth + mbX] = mvy[block];
            }
        }
        hasPrevious = true;
    }

    /** The QP the deblocking filter takes for macroblock {@code mb}: its QP_Y, or 0 for I_PCM (8.7.2.2). */
    int deblockingQp(int mb) {
        return type[mb] == I_PCM ? 0 : qp[mb];
    }

    boolean isIntra(int mb) {
        return type[mb] == I16X16 || type[mb] == I4X4 || type[mb] == I_PCM;
    }

    /** Whether macroblock (x, y) lies inside the picture (one slice a picture). */
    boolean available(int x, int y) {
        return x >= 0 && y >= 0 && x < mbWidth && y < mbHeight;
    }
}
