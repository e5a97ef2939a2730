package io.vencflow.core.quality;

import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;

/**
 * Per-plane comparison of two I420 pictures of one size: PSNR and the mean signed difference
 * (decoded minus source), accumulated over any number of frame pairs; and the luma SSIM (structural
 * similarity), the mean over frames of each frame's mean over 8x8 windows four samples apart. Not
 * thread-safe.
 */
public final class PlaneStats {
    private static final String[] PLANES = {"Y", "U", "V"};

    private final long[] squaredError = new long[3];
    private final long[] signedError = new long[3];
    private final long[] samples = new long[3];
    private int frames;
    private double ssimSum;
    /** Sums of each 4x4 luma block of a frame: source, decoded, their squares, their product. */
    private long[] blockSums = new long[0];
    private final double[] window = new double[5];

    /** Adds one pair; both frames are converted to I420 first if they are not. */
    public void add(Frame source, Frame decoded) {
        if (source.width() != decoded.width() || source.height() != decoded.height()) {
            throw new IllegalArgumentException("cannot compare " + source.width() + "x" + source.height() + " with "
                    + decoded.width() + "x" + decoded.height());
        }
        byte[] a = i420(source);
        byte[] b = i420(decoded);
        add(a, b, source.width(), source.height());
    }

    /** Adds one pair of tightly packed I420 pictures. */
    public void add(byte[] source, byte[] decoded, int width, int height) {
        int luma = width * height;
        int chroma = (width / 2) * (height / 2);
        accumulate(0, source, decoded, 0, luma);
        accumulate(1, source, decoded, luma, chroma);
        accumulate(2, source, decoded, luma + chroma, chroma);
        ssimSum += ssim(source, decoded, width, height);
        frames++;
    }

    /** C1 and C2 of the SSIM formula for 8-bit samples: (0.01 * 255)^2 and (0.03 * 255)^2. */
    private static final double C1 = 0.01 * 255 * 0.01 * 255;
    private static final double C2 = 0.03 * 255 * 0.03 * 255;

    /**
     * The luma SSIM of one frame: the mean over every 8x8 window at a multiple of 4 samples of
     * ((2 ma mb + C1)(2 cov + C2)) / ((ma^2 + mb^2 + C1)(va + vb + C2)), means, variances and
     * covariance of the window's 64 samples. Each window sums the sums of its four 4x4 blocks.
     * 1 for a picture narrower or lower than 8 samples, which has no window.
     */
    private double ssim(byte[] a, byte[] b, int width, int height) {
        int bw = width / 4;
        int bh = height / 4;
        if (bw < 2 || bh < 2) {
            return 1;
        }
        if (blockSums.length < bw * bh * 5) {
            blockSums = new long[bw * bh * 5];
        }
        long[] s = blockSums;
        for (int by = 0; by < bh; by++) {
            for (int bx = 0; bx < bw; bx++) {
                long sa = 0;
                long sb = 0;
                long saa = 0;
                long sbb = 0;
                long sab = 0;
                for (int j = 0; j < 4; j++) {
                    int o = (by * 4 + j) * width + bx * 4;
                    for (int i = 0; i < 4; i++) {
                        int x = a[o + i] & 0xff;
                        int y = b[o + i] & 0xff;
                        sa += x;
                        sb += y;
                        saa += x * x;
                        sbb += y * y;
                        sab += x * y;
                    }
                }
                int k = (by * bw + bx) * 5;
                s[k] = sa;
                s[k + 1] = sb;
                s[k + 2] = saa;
                s[k + 3] = sbb;
                s[k + 4] = sab;
            }
        }
        double total = 0;
        for (int by = 0; by + 1 < bh; by++) {
            for (int bx = 0; bx + 1 < bw; bx++) {
                int k0 = (by * bw + bx) * 5;
                int k1 = k0 + bw * 5;
                double[] w = window;
                for (int m = 0; m < 5; m++) {
                    w[m] = s[k0 + m] + s[k0 + 5 + m] + s[k1 + m] + s[k1 + 5 + m];
                }
                double n = 64;
                double ma = w[0] / n;
                double mb = w[1] / n;
                double va = w[2] / n - ma * ma;
                double vb = w[3] / n - mb * mb;
                double cov = w[4] / n - ma * mb;
                total += (2 * ma * mb + C1) * (2 * cov + C2) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
            }
        }
        return total / ((bw - 1) * (bh - 1));
    }

    private void accumulate(int plane, byte[] a, byte[] b, int off, int n) {
        long sq = 0;
        long signed = 0;
        for (int i = off; i < off + n; i++) {
            int d = (b[i] & 0xff) - (a[i] & 0xff);
            sq += (long) d * d;
            signed += d;
        }
        squaredError[plane] += sq;
        signedError[plane] += signed;
        samples[plane] += n;
    }

    private static byte[] i420(Frame f) {
        byte[] out = new byte[ColorConversion.i420Size(f.width(), f.height())];
        ColorConversion.toI420(f, out);
        return out;
    }

    /** PSNR in dB of plane 0 (Y), 1 (U) or 2 (V) over all pairs added; 99 when identical. */
    public double psnr(int plane) {
        if (samples[plane] == 0) {
            throw new IllegalStateException("no frames compared");
        }
        if (squaredError[plane] == 0) {
            return 99.0;
        }
        double mse = squaredError[plane] / (double) samples[plane];
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Luma SSIM over all pairs added (the mean of the frames'): 1 when identical. */
    public double ssim() {
        if (frames == 0) {
            throw new IllegalStateException("no frames compared");
        }
        return ssimSum / frames;
    }

    /** {@link #ssim()} in dB, -10 log10(1 - SSIM), as x264 and FFmpeg print it; 99 when identical. */
    public double ssimDb() {
        double s = ssim();
        return s >= 1 ? 99.0 : Math.min(99.0, -10 * Math.log10(1 - s));
    }

    /** Mean of (decoded - source) over plane 0, 1 or 2: a bias, where PSNR only shows the size of errors. */
    public double meanError(int plane) {
        return signedError[plane] / (double) samples[plane];
    }

    public int frames() {
        return frames;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            b.append(String.format("%s %.2f dB (mean %+.2f)%s", PLANES[p], psnr(p), meanError(p), p < 2 ? ", " : ""));
        }
        return b + " over " + frames + " frames";
    }
}
