package io.vencflow.core.codec.avc;

import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.RateControlMode;

/**
 * Rate control of the {@code java} backend: CQP, CBR and capped VBR over a VBV (CPB) buffer model.
 *
 * <p>The picture QP comes from a complexity model per picture type (bits x 2^(QP/6), so one QP step
 * is about 12% of bits) and a target that steers the buffer back to half full. Within a picture the
 * QP of each macroblock row follows the bits spent so far against the rows' share of the target
 * ({@link #rowQp}). The buffer is filled at the bitrate each frame interval and drained by each
 * picture's bits. For CBR it is the stream's declared HRD buffer ({@link Hrd}): a picture that would
 * underflow it is re-planned at a higher QP by the caller, and, in strict CBR, one that would let it
 * overflow gets filler data. For VBR a full buffer simply waits. Not thread-safe; one per encoder.
 */
final class RateControl {
    private static final double EMA = 0.3;
    private static final int MAX_STEP = 6;

    private final RateControlMode mode;
    private final int fps;
    private final int qpMin;
    private final int qpMax;
    private final int fixedQp;
    private long bitrateBps;
    private long vbvBits;
    /** The VBR buffer's fullness (CBR keeps {@link #hrd}'s). */
    private double fullness;
    /** CBR: the declared HRD buffer; null otherwise. */
    private Hrd hrd;
    private final double[] complexity = {-1, -1};
    private int lastQp;

    /** @param hrd the buffer the stream declares (CBR), or null */
    RateControl(EncoderConfig config, Hrd hrd) {
        this.mode = config.rateControl();
        this.fps = config.fps();
        this.qpMin = config.qpMin();
        this.qpMax = config.qpMax();
        this.fixedQp = config.qp();
        this.bitrateBps = config.effectiveBitrateBps();
        this.vbvBits = vbvSizeBits(config.effectiveBitrateBps());
        this.fullness = vbvBits * 0.9;
        this.hrd = mode == RateControlMode.CBR ? java.util.Objects.requireNonNull(hrd, "a CBR stream's HRD") : null;
        if (this.hrd != null) {
            this.vbvBits = hrd.cpbBits();
        }
        this.lastQp = mode == RateControlMode.CQP ? fixedQp : initialQp(config);
    }

    /** The VBV (CPB) size: one second of the bitrate. */
    static long vbvSizeBits(long bitrateBps) {
        return bitrateBps;
    }

    /** A first QP from bits per pixel, before any picture has been measured. */
    private int initialQp(EncoderConfig config) {
        double bpp = config.effectiveBitrateBps() / (double) (config.width() * config.height() * config.fps());
        // About 26 at 0.1 bpp, 6 QP per halving.
        int qp = (int) Math.round(26 - 6 * Math.log(bpp / 0.1) / Math.log(2));
        return clamp(qp);
    }

    void setBitrate(long bitrateBps) {
        this.bitrateBps = bitrateBps;
    }

    /** Bits the next picture should spend. */
    double targetBits(boolean intra) {
        double perFrame = bitrateBps / (double) fps;
        // Steer towards a half-full buffer over about one second.
        double full = hrd != null ? hrd.fullnessBits() : fullness;
        double correction = (full - vbvBits * 0.5) / fps;
        double target = perFrame + correction;
        if (intra) {
            target *= 3;
        }
        // Never plan more than the buffer holds.
        return Math.max(perFrame * 0.2, Math.min(target, full * 0.9));
    }

    /**
     * I pictures are coded 3 QP finer than P pictures in CQP (x264's default I/P ratio of 1.4): every
     * P picture of the GOP predicts from them, so their quality pays back.
     */
    static final int INTRA_QP_OFFSET = 3;

    /** The QP for the next picture. */
    int pictureQp(boolean intra) {
        if (mode == RateControlMode.CQP) {
            return intra ? Math.max(qpMin, fixedQp - INTRA_QP_OFFSET) : fixedQp;
        }
        double c = complexity[intra ? 0 : 1];
        if (c < 0) {
            c = complexity[intra ? 1 : 0] < 0 ? -1 : complexity[intra ? 1 : 0] * (intra ? 3 : 1.0 / 3);
        }
        int qp = lastQp;
        if (c > 0) {
            qp = (int) Math.round(6 * log2(c / targetBits(intra)));
            qp = Math.max(lastQp - MAX_STEP, Math.min(lastQp + MAX_STEP, qp));
        }
        if (mode == RateControlMode.VBR) {
            qp = Math.max(qp, fixedQp);
        }
        return clamp(qp);
    }

    /** Whether {@link #rowQp} moves away from the picture QP (not in CQP). */
    boolean steersRows() {
        return mode != RateControlMode.CQP;
    }

    /**
     * The QP for a macroblock row, given the bits the picture has spent on {@code rowsDone} of
     * {@code rows} rows against its {@code target}: at most 2 QP away from the picture QP.
     */
    int rowQp(int pictureQp, long bitsSoFar, int rowsDone, int rows, double target) {
        if (mode == RateControlMode.CQP || rowsDone == 0) {
            return pictureQp;
        }
        double expected = target * rowsDone / rows;
        double ratio = bitsSoFar / Math.max(1.0, expected);
        int delta = ratio > 1.5 ? 2 : ratio > 1.15 ? 1 : ratio < 0.6 ? -2 : ratio < 0.85 ? -1 : 0;
        return clamp(pictureQp + delta);
    }

    /** Whether an access unit of {@code bits} (start codes included) would drain the CBR buffer below empty. */
    boolean wouldUnderflow(long bits) {
        return hrd != null && hrd.wouldUnderflow(bits);
    }

    /** Bits of filler data an access unit of {@code bits} needs so that the CBR buffer does not overflow. */
    long fillerBits(long bits) {
        return hrd != null ? hrd.fillerBits(bits) : 0;
    }

    /**
     * A CBR stream's new rate, from the IDR whose SPS declares it with {@code hrd}: the buffer model
     * starts again there, the new coded video sequence's HRD running from its own buffering period.
     */
    void restartHrd(long bitrateBps, Hrd hrd) {
        this.bitrateBps = bitrateBps;
        this.hrd = hrd;
        this.vbvBits = hrd.cpbBits();
    }

    /** The CBR stream's buffer, or null. */
    Hrd hrd() {
        return hrd;
    }

    /**
     * Accounts a coded picture at average QP {@code qp}: its slice's {@code codedBits} for the
     * complexity model, its whole access unit's {@code accessUnitBits} (filler and start codes
     * included) for the buffer.
     */
    void pictureDone(boolean intra, int qp, long codedBits, long accessUnitBits) {
        if (mode == RateControlMode.CQP) {
            return;
        }
        double c = codedBits * Math.pow(2, qp / 6.0);
        int k = intra ? 0 : 1;
        complexity[k] = complexity[k] < 0 ? c : (1 - EMA) * complexity[k] + EMA * c;
        lastQp = qp;
        if (hrd != null) {
            hrd.removed(accessUnitBits);
            return;
        }
        fullness -= accessUnitBits;
        fullness += bitrateBps / (double) fps;
        // A full VBR buffer cannot save more: the stream simply waits.
        fullness = Math.min(fullness, vbvBits);
    }

    private int clamp(int qp) {
        return Math.max(qpMin, Math.min(qpMax, qp));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
