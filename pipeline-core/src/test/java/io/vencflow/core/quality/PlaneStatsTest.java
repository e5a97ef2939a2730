package io.vencflow.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** PSNR and SSIM of I420 picture pairs. */
class PlaneStatsTest {
    private static final int W = 64;
    private static final int H = 48;

    @Test
    void identicalPicturesHaveAnSsimOfOne() {
        byte[] a = texture(1);
        PlaneStats s = new PlaneStats();
        s.add(a, a.clone(), W, H);
        assertEquals(1.0, s.ssim(), 1e-12);
        assertEquals(99.0, s.ssimDb());
        assertEquals(99.0, s.psnr(0));
    }

    @Test
    void ssimIsTheMeanOverEveryEightByEightWindowFourSamplesApart() {
        byte[] a = texture(2);
        byte[] b = noisy(a, 12, 3);
        PlaneStats s = new PlaneStats();
        s.add(a, b, W, H);
        // The formula straight from the samples of each window, in doubles.
        double total = 0;
        int windows = 0;
        for (int y = 0; y + 8 <= H; y += 4) {
            for (int x = 0; x + 8 <= W; x += 4) {
                double ma = 0;
                double mb = 0;
                for (int j = 0; j < 8; j++) {
                    for (int i = 0; i < 8; i++) {
                        ma += (a[(y + j) * W + x + i] & 0xff) / 64.0;
                        mb += (b[(y + j) * W + x + i] & 0xff) / 64.0;
                    }
                }
                double va = 0;
                double vb = 0;
                double cov = 0;
                for (int j = 0; j < 8; j++) {
                    for (int i = 0; i < 8; i++) {
                        double da = (a[(y + j) * W + x + i] & 0xff) - ma;
                        double db = (b[(y + j) * W + x + i] & 0xff) - mb;
                        va += da * da / 64;
                        vb += db * db / 64;
                        cov += da * db / 64;
                    }
                }
                double c1 = Math.pow(0.01 * 255, 2);
                double c2 = Math.pow(0.03 * 255, 2);
                total += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                windows++;
            }
        }
        assertEquals(11 * 15, windows);
        assertEquals(total / windows, s.ssim(), 1e-9);
        assertTrue(s.ssim() < 0.99, "noise of 12 lowers it: " + s.ssim());
    }

    @Test
    void moreNoiseLowersSsimAndItsDecibels() {
        byte[] a = texture(3);
        double last = 2;
        for (int amplitude : new int[] {2, 6, 20, 60}) {
            PlaneStats s = new PlaneStats();
            s.add(a, noisy(a, amplitude, 4), W, H);
            assertTrue(s.ssim() < last, "noise " + amplitude + ": SSIM " + s.ssim() + " after " + last);
            assertEquals(-10 * Math.log10(1 - s.ssim()), s.ssimDb(), 1e-9);
            last = s.ssim();
        }
    }

    @Test
    void noFramesComparedIsAnError() {
        assertThrows(IllegalStateException.class, () -> new PlaneStats().ssim());
    }

    private static byte[] texture(int seed) {
        Random rnd = new Random(seed);
        byte[] px = new byte[W * H * 3 / 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                px[y * W + x] = (byte) (80 + 60 * Math.sin(x / 5.0 + seed) * Math.cos(y / 7.0) + rnd.nextInt(9));
            }
        }
        for (int i = W * H; i < px.length; i++) {
            px[i] = (byte) (128 + rnd.nextInt(5));
        }
        return px;
    }

    private static byte[] noisy(byte[] a, int amplitude, int seed) {
        Random rnd = new Random(seed);
        byte[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            int v = (a[i] & 0xff) + rnd.nextInt(2 * amplitude + 1) - amplitude;
            b[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return b;
    }
}
