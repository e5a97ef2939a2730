package io.vencflow.core.codec;

/**
 * Picture-level rate control for the pure-Java backends: picks each picture's QP from a complexity
 * estimate (bits x 2^(QP/6), so one QP step is about 12% of bits) and a buffer of the bits spent
 * beyond the target, which it pays back over about one second.
 *
 * <p>CBR aims at the target; VBR never picks a QP below {@link EncoderConfig#qp()} (quality first)
 * and aims at the cap; CQP always returns {@code qp}. Not thread-safe.
 */
public final class RateModel {
    private static final double EMA_WEIGHT = 0.25;
    private static final int MAX_STEP = 4;

    private final RateControlMode mode;
    private final int fps;
    private final int qpFloor;
    private final int qpCeiling;
    private final int fixedQp;
    private long bitrateBps;
    private double complexity = -1;
    private double excessBits;
    private int lastQp;

    /**
     * @param qpCeiling the highest QP the backend may use (the jcodec backend keeps it at 29, where
     *     its chroma quantization still agrees with the decoders')
     */
    public RateModel(EncoderConfig config, int qpCeiling) {
        this.mode = config.rateControl();
        this.fps = config.fps();
        this.qpCeiling = Math.min(config.qpMax(), qpCeiling);
        this.qpFloor = Math.min(config.qpMin(), this.qpCeiling);
        this.fixedQp = clampQp(config.qp());
        this.bitrateBps = config.effectiveBitrateBps();
        this.lastQp = fixedQp;
    }

    /** Changes the target or cap from the next picture on. */
    public void setBitrate(long bitrateBps) {
        this.bitrateBps = bitrateBps;
    }

    public long bitrateBps() {
        return bitrateBps;
    }

    /** The QP for the next picture. */
    public int nextQp(boolean intra) {
        if (mode == RateControlMode.CQP) {
            return fixedQp;
        }
        if (complexity < 0) {
            // No history: a QP that suits the bits a pixel allows, nudged by the first frames' results.
            return lastQp;
        }
        double perFrame = bitrateBps / (double) fps;
        double allowed = Math.max(perFrame / 4, perFrame - excessBits / fps);
        int qp = (int) Math.round(6 * log2(complexity / allowed));
        qp = Math.max(lastQp - MAX_STEP, Math.min(lastQp + MAX_STEP, qp));
        if (mode == RateControlMode.VBR) {
            qp = Math.max(qp, fixedQp);
        }
        qp = clampQp(qp);
        lastQp = qp;
        return qp;
    }

    /** Tells the model what the picture encoded at {@code qp} cost. */
    public void pictureDone(int qp, long bits) {
        if (mode == RateControlMode.CQP) {
            return;
        }
        double c = bits * Math.pow(2, qp / 6.0);
        complexity = complexity < 0 ? c : (1 - EMA_WEIGHT) * complexity + EMA_WEIGHT * c;
        double perFrame = bitrateBps / (double) fps;
        excessBits += bits - perFrame;
        // The buffer holds one second: beyond it, spending less cannot be saved up.
        excessBits = Math.max(-bitrateBps, Math.min(bitrateBps, excessBits));
    }

    private int clampQp(int qp) {
        return Math.max(qpFloor, Math.min(qpCeiling, qp));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
