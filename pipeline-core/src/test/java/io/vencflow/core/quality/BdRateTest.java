package io.vencflow.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vencflow.core.quality.BdRate.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * BD-rate and BD-PSNR against figures worked out by hand: curves whose ln(rate) is an exact cubic of
 * PSNR are fitted exactly, so the result is the integral of the difference, computed in closed form.
 */
class BdRateTest {
    /** Points of a typical encoder: bitrate in kbit/s and Y PSNR, not on any simple curve. */
    private static final List<Point> MEASURED = List.of(new Point(1000, 33.1), new Point(1800, 35.4),
            new Point(3200, 37.6), new Point(6000, 39.9));

    @Test
    void aCurveWithEveryRateScaledBy08IsMinus20Percent() {
        List<Point> cheaper = new ArrayList<>();
        for (Point p : MEASURED) {
            cheaper.add(new Point(p.bitrate() * 0.8, p.psnrDb()));
        }
        assertEquals(-20.0, BdRate.ratePercent(MEASURED, cheaper), 1e-6);
        assertEquals(25.0, BdRate.ratePercent(cheaper, MEASURED), 1e-6);
        assertEquals(0.0, BdRate.ratePercent(MEASURED, MEASURED), 1e-9);
    }

    @Test
    void partiallyOverlappingPsnrRangesAreComparedOnTheCommonRangeOnly() {
        // Reference ln R = 0.1 P + 5 at 30..39 dB, test ln R = 0.12 P + 3.9 at 34..40 dB. Over the common
        // 34..39 dB the difference 0.02 P - 1.1 averages 0.02 * 36.5 - 1.1 = -0.37: exp(-0.37) - 1 = -30.9267 %.
        List<Point> reference = curve(p -> 0.1 * p + 5, 30, 33, 36, 39);
        List<Point> test = curve(p -> 0.12 * p + 3.9, 34, 36, 38, 40);
        assertEquals(-30.9266, BdRate.ratePercent(reference, test), 1e-3);
    }

    @Test
    void aCubicCurveShiftedByOneDecibelIsFittedExactly() {
        // f(P) = 5 + 0.1 P + 0.001 (P - 35)^3; the test reaches f(P - 1) bits at P (1 dB better).
        // Over the common 31..39 dB the difference integrates to  int_30^31 f - int_38^39 f
        //   = (8.05 - 0.09225) - (8.85 + 0.04375) = -0.936,  mean -0.117:  exp(-0.117) - 1 = -11.0415 %.
        DoubleUnaryOperator f = p -> 5 + 0.1 * p + 0.001 * Math.pow(p - 35, 3);
        List<Point> reference = curve(f, 30, 33, 36, 39);
        List<Point> test = curve(p -> f.applyAsDouble(p - 1), 31, 34, 37, 40);
        assertEquals(-11.0415, BdRate.ratePercent(reference, test), 1e-3);
    }

    @Test
    void bdPsnrOfALinearCurveWithRatesScaledBy08IsTenTimesLnOf125() {
        // P = 10 (ln R - 5): at equal rate the cheaper encoder is 10 * -ln 0.8 = 2.2314 dB better.
        List<Point> reference = curve(p -> 0.1 * p + 5, 30, 33, 36, 39);
        List<Point> cheaper = new ArrayList<>();
        for (Point p : reference) {
            cheaper.add(new Point(p.bitrate() * 0.8, p.psnrDb()));
        }
        assertEquals(2.2314, BdRate.psnrDb(reference, cheaper), 1e-4);
    }

    @Test
    void tooFewPointsOrNoCommonRangeAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BdRate.ratePercent(MEASURED.subList(0, 3), MEASURED));
        assertEquals("reference curve has 3 points; a cubic fit needs at least 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BdRate.ratePercent(MEASURED, curve(p -> 0.1 * p + 5, 41, 42, 43, 44)));
        assertEquals("the curves do not overlap in PSNR: reference 33.10..39.90, test 41.00..44.00", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BdRate.ratePercent(MEASURED,
                List.of(new Point(1, 35), new Point(2, 35), new Point(3, 36), new Point(4, 36))));
        assertEquals("test curve has fewer than 4 distinct PSNR values; a cubic fit needs 4", e.getMessage());
    }

    /** Points (exp(lnRate(P)), P) at the given PSNRs. */
    private static List<Point> curve(DoubleUnaryOperator lnRate, double... psnrDb) {
        List<Point> points = new ArrayList<>();
        for (double p : psnrDb) {
            points.add(new Point(Math.exp(lnRate.applyAsDouble(p)), p));
        }
        return points;
    }
}
