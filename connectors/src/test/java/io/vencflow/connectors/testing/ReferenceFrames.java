package io.vencflow.connectors.testing;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import java.util.List;

/**
 * Compares what a player decoded with what the published loop decodes to directly: finds where in the
 * loop the player's first frame lies (the closest reference frame) and compares every frame after it
 * with the loop's frames in order, wrapping around.
 */
public final class ReferenceFrames {
    private ReferenceFrames() {
    }

    /** The per-plane PSNR of {@code decoded} against {@code loop} (display order, cyclic). */
    public static PlaneStats compare(List<Frame> decoded, List<Frame> loop) {
        return compare(decoded, loop, true);
    }

    /**
     * The per-plane PSNR of {@code decoded} against {@code reference} (display order); when not
     * {@code cyclic}, decoded frames must not run past the reference's end.
     */
    public static PlaneStats compare(List<Frame> decoded, List<Frame> loop, boolean cyclic) {
        if (decoded.isEmpty()) {
            throw new AssertionError("nothing decoded");
        }
        int start = -1;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < loop.size(); i++) {
            long d = squaredError(decoded.get(0), loop.get(i));
            if (d < best) {
                best = d;
                start = i;
            }
        }
        if (!cyclic && start + decoded.size() > loop.size()) {
            throw new AssertionError(decoded.size() + " decoded frames from reference frame " + start + " run past the "
                    + loop.size() + " reference frames");
        }
        PlaneStats stats = new PlaneStats();
        for (int i = 0; i < decoded.size(); i++) {
            stats.add(loop.get((start + i) % loop.size()), decoded.get(i));
        }
        return stats;
    }

    private static long squaredError(Frame a, Frame b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            return Long.MAX_VALUE;
        }
        byte[] x = new byte[a.pixels().remaining()];
        a.pixels().get(x);
        byte[] y = new byte[b.pixels().remaining()];
        b.pixels().get(y);
        long sum = 0;
        for (int i = 0; i < Math.min(x.length, y.length); i += 7) {
            int d = (x[i] & 0xff) - (y[i] & 0xff);
            sum += (long) d * d;
        }
        return sum;
    }
}
