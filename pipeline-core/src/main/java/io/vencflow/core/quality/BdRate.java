package io.vencflow.core.quality;

import java.util.List;

/**
 * Bjøntegaard delta (VCEG-M33): how two encoders' rate-distortion curves differ, each curve given as
 * four or more (bitrate, PSNR) points. Each curve is fitted by a least-squares cubic and the two are
 * compared over the range where both have points, so the figure is an average over that range, not a
 * comparison at one point.
 *
 * <p>{@link #ratePercent} is the mean bitrate difference at equal PSNR (negative: the test encoder
 * needs fewer bits); {@link #psnrDb} the mean PSNR difference at equal bitrate (positive: the test
 * encoder gives more quality).
 */
public final class BdRate {
    private static final int DEGREE = 3;

    /** One encode: its bitrate (any unit, the same for every point of both curves) and its PSNR in dB. */
    public record Point(double bitrate, double psnrDb) {
        public Point {
            if (!(bitrate > 0) || Double.isInfinite(bitrate)) {
                throw new IllegalArgumentException("bitrate " + bitrate + " is not a positive finite number");
            }
            if (!Double.isFinite(psnrDb)) {
                throw new IllegalArgumentException("PSNR " + psnrDb + " dB is not a finite number");
            }
        }
    }

    private BdRate() {
    }

    /**
     * The BD-rate of {@code test} against {@code reference} in percent: (exp(mean difference of
     * ln(bitrate) over the common PSNR range) - 1) x 100.
     *
     * @throws IllegalArgumentException if a curve has fewer than four distinct points, or the PSNR
     *     ranges do not overlap
     */
    public static double ratePercent(List<Point> reference, List<Point> test) {
        Cubic ref = Cubic.fit(reference, "reference", true);
        Cubic tst = Cubic.fit(test, "test", true);
        double[] range = overlap(reference, test, true);
        double meanLogDiff = (tst.integral(range[0], range[1]) - ref.integral(range[0], range[1])) / (range[1] - range[0]);
        return (Math.exp(meanLogDiff) - 1) * 100;
    }

    /**
     * The BD-PSNR of {@code test} against {@code reference} in dB: the mean PSNR difference over the
     * common ln(bitrate) range.
     *
     * @throws IllegalArgumentException if a curve has fewer than four distinct points, or the bitrate
     *     ranges do not overlap
     */
    public static double psnrDb(List<Point> reference, List<Point> test) {
        Cubic ref = Cubic.fit(reference, "reference", false);
        Cubic tst = Cubic.fit(test, "test", false);
        double[] range = overlap(reference, test, false);
        return (tst.integral(range[0], range[1]) - ref.integral(range[0], range[1])) / (range[1] - range[0]);
    }

    /** The PSNR ({@code byPsnr}) or ln(bitrate) of a point: the abscissa of the fit. */
    private static double abscissa(Point p, boolean byPsnr) {
        return byPsnr ? p.psnrDb() : Math.log(p.bitrate());
    }

    /** The interval where both curves have points. */
    private static double[] overlap(List<Point> reference, List<Point> test, boolean byPsnr) {
        double[] r = span(reference, byPsnr);
        double[] t = span(test, byPsnr);
        double lo = Math.max(r[0], t[0]);
        double hi = Math.min(r[1], t[1]);
        if (!(hi > lo)) {
            throw new IllegalArgumentException(String.format("the curves do not overlap in %s: reference %.2f..%.2f, "
                    + "test %.2f..%.2f", byPsnr ? "PSNR" : "ln(bitrate)", r[0], r[1], t[0], t[1]));
        }
        return new double[] {lo, hi};
    }

    private static double[] span(List<Point> points, boolean byPsnr) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            lo = Math.min(lo, abscissa(p, byPsnr));
            hi = Math.max(hi, abscissa(p, byPsnr));
        }
        return new double[] {lo, hi};
    }

    /**
     * y = c0 + c1 u + c2 u^2 + c3 u^3 with u = (x - center) / scale; centring and scaling keep the
     * normal equations well conditioned whatever the units of x (PSNR near 40 has x^6 near 4e9).
     */
    private record Cubic(double center, double scale, double[] c) {

        /** The least-squares fit of ln(bitrate) of PSNR ({@code byPsnr}) or of PSNR of ln(bitrate). */
        static Cubic fit(List<Point> points, String name, boolean byPsnr) {
            int n = points.size();
            if (n < DEGREE + 1) {
                throw new IllegalArgumentException(name + " curve has " + n + " points; a cubic fit needs at least "
                        + (DEGREE + 1));
            }
            double[] span = span(points, byPsnr);
            double center = (span[0] + span[1]) / 2;
            double scale = (span[1] - span[0]) / 2;
            int m = DEGREE + 1;
            double[][] a = new double[m][m + 1];
            for (Point p : points) {
                double u = scale > 0 ? (abscissa(p, byPsnr) - center) / scale : 0;
                double y = byPsnr ? Math.log(p.bitrate()) : p.psnrDb();
                double[] powers = new double[2 * DEGREE + 1];
                powers[0] = 1;
                for (int k = 1; k < powers.length; k++) {
                    powers[k] = powers[k - 1] * u;
                }
                for (int r = 0; r < m; r++) {
                    for (int col = 0; col < m; col++) {
                        a[r][col] += powers[r + col];
                    }
                    a[r][m] += powers[r] * y;
                }
            }
            // Gauss-Jordan elimination with partial pivoting; a vanishing pivot means too few distinct abscissae.
            for (int col = 0; col < m; col++) {
                int pivot = col;
                for (int r = col + 1; r < m; r++) {
                    if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                        pivot = r;
                    }
                }
                if (Math.abs(a[pivot][col]) < 1e-9 * n) {
                    throw new IllegalArgumentException(name + " curve has fewer than " + m + " distinct "
                            + (byPsnr ? "PSNR" : "bitrate") + " values; a cubic fit needs " + m);
                }
                double[] row = a[col];
                a[col] = a[pivot];
                a[pivot] = row;
                for (int r = 0; r < m; r++) {
                    if (r != col) {
                        double f = a[r][col] / a[col][col];
                        for (int k = col; k <= m; k++) {
                            a[r][k] -= f * a[col][k];
                        }
                    }
                }
            }
            double[] c = new double[m];
            for (int r = 0; r < m; r++) {
                c[r] = a[r][m] / a[r][r];
            }
            return new Cubic(center, scale, c);
        }

        /** The integral of the cubic from x0 to x1. */
        double integral(double x0, double x1) {
            return scale * (antiderivative((x1 - center) / scale) - antiderivative((x0 - center) / scale));
        }

        private double antiderivative(double u) {
            double sum = 0;
            for (int k = c.length - 1; k >= 0; k--) {
                sum = (sum + c[k] / (k + 1)) * u;
            }
            return sum;
        }
    }
}
