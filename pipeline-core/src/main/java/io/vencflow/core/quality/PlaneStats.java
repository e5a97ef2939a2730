package io.vencflow.core.quality;

import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;

/**
 * Per-plane comparison of two I420 pictures of one size: PSNR and the mean signed difference
 * (decoded minus source), accumulated over any number of frame pairs. Not thread-safe.
 */
public final class PlaneStats {
    private static final String[] PLANES = {"Y", "U", "V"};

    private final long[] squaredError = new long[3];
    private final long[] signedError = new long[3];
    private final long[] samples = new long[3];
    private int frames;

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
        frames++;
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
