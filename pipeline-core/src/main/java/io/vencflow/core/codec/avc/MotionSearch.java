package io.vencflow.core.codec.avc;

/**
 * Motion estimation for 16x16 partitions: integer diamond search from the predictors, then half-
 * and quarter-pel refinement by SAD against a {@link SubPelWindow} of the reference around the
 * whole-pel vector (so no candidate needs a 6-tap filter of its own); mode decision asks for the chosen vector's SATD only
 * where intra might win. Costs are distortion plus lambda times the bits of the motion-vector difference. One
 * instance per thread.
 */
final class MotionSearch {
    private static final int MAX_BITS_INDEX = 4096;
    private static final int[] SE_BITS = new int[2 * MAX_BITS_INDEX + 1];
    private static final int RANGE = 64; // integer pels around the start
    private static final int MAX_DIAMOND_STEPS = 24;

    static {
        for (int v = -MAX_BITS_INDEX; v <= MAX_BITS_INDEX; v++) {
            int code = v > 0 ? 2 * v - 1 : -2 * v;
            SE_BITS[v + MAX_BITS_INDEX] = 2 * (31 - Integer.numberOfLeadingZeros(code + 1)) + 1;
        }
    }

    private final byte[] block = new byte[256];
    private final int[] candidateX = new int[12];
    private final int[] candidateY = new int[12];

    /** Result of the last {@link #search}: quarter-pel vector and its cost. */
    int bestX;
    int bestY;
    /** SAD plus lambda times the vector bits. */
    int bestCost;
    /** SAD alone. */
    int bestSad;
    /** The whole-sample vector the last search refined around: its sub-pel window lies around it. */
    int wholeX;
    int wholeY;

    static int mvdBits(int d) {
        int i = d + MAX_BITS_INDEX;
        return i < 0 || i >= SE_BITS.length ? 32 : SE_BITS[i];
    }

    /**
     * The largest whole-sample vector component, vertical and horizontal, the search returns: one
     * below the level's range (H.264 Table A-1 MaxVmvR, and [-2048, 2047.75] across), so that
     * refinement, within 3 quarter samples of it, stays inside the range too.
     */
    private final int maxWholeY;
    private final int maxWholeX = io.vencflow.core.bitstream.H264Level.MAX_HORIZONTAL_MV - 1;

    /** @param maxVerticalMv the level's vertical vector range, MaxVmvR, in luma samples: [-max, max - 0.25] */
    MotionSearch(int maxVerticalMv) {
        this.maxWholeY = maxVerticalMv - 1;
    }

    /** Searches of a 16x16 block so far: macroblocks searched. */
    long searches;

    /** Searches the motion of the 16x16 block of {@code src} at pixel (x, y). */
    void search(byte[] src, int srcStride, int x, int y, SubPelWindow ref, int predX, int predY,
            int[] startX, int[] startY, int starts, int lambda, boolean subPel) {
        searches++;
        search(src, srcStride, x, y, 16, 16, x, y, ref, predX, predY, startX, startY, starts, lambda, subPel);
    }

    /**
     * Searches the motion of the {@code w} x {@code h} block of {@code src} at pixel (x, y) (16x16,
     * 16x8 or 8x16) of the macroblock at pixel (mbX, mbY): the sub-pel window is laid around the
     * macroblock, so that partitions whose whole-pel vector equals one already refined reuse it.
     *
     * @param predX predicted vector (quarter pel), against which vector bits are counted
     * @param starts quarter-pel start candidates, pairs in {@code startX/startY}
     */
    void search(byte[] src, int srcStride, int x, int y, int w, int h, int mbX, int mbY, SubPelWindow ref,
            int predX, int predY, int[] startX, int[] startY, int starts, int lambda, boolean subPel) {
        this.w = w;
        this.h = h;
        // Whole-sample vectors keep the macroblock's window within reach (outside the picture too),
        // and within the level's range.
        int minX = Math.max(-SubPelWindow.REACH - mbX, -maxWholeX);
        int minY = Math.max(-SubPelWindow.REACH - mbY, -maxWholeY);
        int maxX = Math.min(ref.width - 16 + SubPelWindow.REACH - mbX, maxWholeX);
        int maxY = Math.min(ref.height - 16 + SubPelWindow.REACH - mbY, maxWholeY);
        int srcOff = y * srcStride + x;
        // Integer start: the cheapest of the candidates, rounded to whole pels and kept inside.
        int bx = 0;
        int by = 0;
        int best = Integer.MAX_VALUE;
        int n = 0;
        for (int i = 0; i < starts; i++) {
            int cx = clamp((startX[i] + 2) >> 2, minX, maxX);
            int cy = clamp((startY[i] + 2) >> 2, minY, maxY);
            boolean seen = false;
            for (int k = 0; k < n; k++) {
                seen |= candidateX[k] == cx && candidateY[k] == cy;
            }
            if (seen || n == candidateX.length) {
                continue;
            }
            candidateX[n] = cx;
            candidateY[n] = cy;
            n++;
            int cost = sad(src, srcOff, srcStride, ref.full, ref.index(x + cx, y + cy), ref.fullStride, best)
                    + lambda * (mvdBits(4 * cx - predX) + mvdBits(4 * cy - predY));
            if (cost < best) {
                best = cost;
                bx = cx;
                by = cy;
            }
        }
        if (n == 0) {
            bx = clamp(0, minX, maxX);
            by = clamp(0, minY, maxY);
            best = sad(src, srcOff, srcStride, ref.full, ref.index(x + bx, y + by), ref.fullStride, Integer.MAX_VALUE)
                    + lambda * (mvdBits(4 * bx - predX) + mvdBits(4 * by - predY));
        }
        int ox = bx;
        int oy = by;
        for (int step = 0; step < MAX_DIAMOND_STEPS; step++) {
            int cx = bx;
            int cy = by;
            for (int d = 0; d < 4; d++) {
                int tx = cx + CROSS_X[d];
                int ty = cy + CROSS_Y[d];
                if (tx < minX || tx > maxX || ty < minY || ty > maxY || Math.abs(tx - ox) > RANGE
                        || Math.abs(ty - oy) > RANGE) {
                    continue;
                }
                int cost = sad(src, srcOff, srcStride, ref.full, ref.index(x + tx, y + ty), ref.fullStride, best)
                        + lambda * (mvdBits(4 * tx - predX) + mvdBits(4 * ty - predY));
                if (cost < best) {
                    best = cost;
                    bx = tx;
                    by = ty;
                }
            }
            if (bx == cx && by == cy) {
                break;
            }
        }
        int qx = 4 * bx;
        int qy = 4 * by;
        int bestQ = best; // SAD plus vector bits at the integer vector
        if (subPel) {
            ref.around(mbX + bx, mbY + by);
            // Half pel, walking a small cross while it improves; then one quarter-pel cross; by SAD.
            bestQ = refine(src, srcOff, srcStride, x, y, ref, predX, predY, lambda, 2, 2, bx, by, bestQ, qx, qy);
            qx = refinedX;
            qy = refinedY;
            refine(src, srcOff, srcStride, x, y, ref, predX, predY, lambda, 1, 1, bx, by, bestQ, qx, qy);
            qx = refinedX;
            qy = refinedY;
        }
        bestX = qx;
        bestY = qy;
        wholeX = bx;
        wholeY = by;
        bestCost = bestQ;
        bestSad = bestQ - lambda * (mvdBits(qx - predX) + mvdBits(qy - predY));
    }

    /** SATD of the 16x16 block at pixel (x, y) against its prediction by the last search's vector. */
    int satdOfBest(byte[] src, int srcStride, int x, int y, SubPelWindow ref) {
        ref.predict(x * 4 + bestX, y * 4 + bestY, block, 16, 16);
        return Satd.satd16x16(src, y * srcStride + x, srcStride, block);
    }

    private int w = 16;
    private int h = 16;
    private int refinedX;
    private int refinedY;

    /**
     * Walks a cross of {@code step} quarter pels around (qx, qy) up to {@code walks} times while the
     * cost falls, never further than 3 quarter pels from the integer vector (bx, by); leaves the best
     * vector in {@link #refinedX}/{@link #refinedY} and returns its cost.
     */
    private int refine(byte[] src, int srcOff, int srcStride, int x, int y, SubPelWindow ref, int predX,
            int predY, int lambda, int step, int walks, int bx, int by, int cost, int qx, int qy) {
        int best = cost;
        for (int walk = 0; walk < walks; walk++) {
            int cx = qx;
            int cy = qy;
            for (int d = 0; d < 4; d++) {
                int tx = cx + step * CROSS_X[d];
                int ty = cy + step * CROSS_Y[d];
                if (Math.abs(tx - 4 * bx) > 3 || Math.abs(ty - 4 * by) > 3) {
                    continue; // stay within the margin the integer search left
                }
                int bits = lambda * (mvdBits(tx - predX) + mvdBits(ty - predY));
                int c = ref.sad(x * 4 + tx, y * 4 + ty, src, srcOff, srcStride, w, h, best - bits) + bits;
                if (c < best) {
                    best = c;
                    qx = tx;
                    qy = ty;
                }
            }
            if (qx == cx && qy == cy) {
                break;
            }
        }
        refinedX = qx;
        refinedY = qy;
        return best;
    }

    private static final int[] CROSS_X = {-1, 1, 0, 0};
    private static final int[] CROSS_Y = {0, 0, -1, 1};

    private int sad(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, int limit) {
        return Sad.sad(a, aOff, aStride, b, bOff, bStride, w, h, limit);
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
