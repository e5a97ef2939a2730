package io.vencflow.jobs.analyze;

import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.awt.image.BufferedImage;
import java.util.List;

/** A grid of one channel's decoded keyframes, each labelled with its sequence and capture second. */
final class ContactSheet {
    private static final int THUMB_WIDTH = 192;
    private static final int COLUMNS = 5;
    private static final int GAP = 10;
    private static final int LABEL = 20;
    private static final int TITLE = 30;

    private ContactSheet() {
    }

    static BufferedImage render(ChannelStats stats) {
        List<Frame> frames = stats.thumbnails();
        int thumbH = Math.max(1, THUMB_WIDTH * Math.max(1, stats.height()) / Math.max(1, stats.width()));
        int rows = Math.max(1, (frames.size() + COLUMNS - 1) / COLUMNS);
        int w = COLUMNS * (THUMB_WIDTH + GAP) + GAP;
        int h = TITLE + rows * (thumbH + LABEL + GAP) + GAP;
        Canvas c = new Canvas(w, h, 0x202020);
        c.text(GAP, 8, 2, stats.channel() + " keyframes (" + stats.keyframes() + ")", 0xffffff);
        long firstPts = frames.isEmpty() ? 0 : frames.get(0).ptsMicros();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            int x = GAP + (i % COLUMNS) * (THUMB_WIDTH + GAP);
            int y = TITLE + (i / COLUMNS) * (thumbH + LABEL + GAP);
            byte[] rgb = scaled(f, THUMB_WIDTH, thumbH);
            c.picture(x, y, rgb, THUMB_WIDTH, thumbH);
            c.text(x, y + thumbH + 4, 2, "#" + f.sequence() + " " + String.format("%.1f", (f.ptsMicros() - firstPts) / 1e6)
                    + "S", 0xe0e0e0);
        }
        return c.image();
    }

    /** Box-filters a decoded frame down to {@code w} x {@code h} RGB888. */
    private static byte[] scaled(Frame frame, int w, int h) {
        Frame rgb = ColorConversion.convert(frame, PixelFormat.RGB888);
        int sw = rgb.width();
        int sh = rgb.height();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int y0 = y * sh / h;
            int y1 = Math.max(y0 + 1, (y + 1) * sh / h);
            for (int x = 0; x < w; x++) {
                int x0 = x * sw / w;
                int x1 = Math.max(x0 + 1, (x + 1) * sw / w);
                for (int ch = 0; ch < 3; ch++) {
                    long sum = 0;
                    for (int yy = y0; yy < y1; yy++) {
                        for (int xx = x0; xx < x1; xx++) {
                            sum += rgb.pixel(3 * (yy * sw + xx) + ch) & 0xff;
                        }
                    }
                    out[3 * (y * w + x) + ch] = (byte) (sum / ((long) (y1 - y0) * (x1 - x0)));
                }
            }
        }
        return out;
    }
}
