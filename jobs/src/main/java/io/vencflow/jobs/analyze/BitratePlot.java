package io.vencflow.jobs.analyze;

import java.awt.image.BufferedImage;
import java.util.Map;

/** A PNG-ready chart of one channel's bitrate over capture time, one point per second. */
final class BitratePlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 360;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final int BACKGROUND = 0xffffff;
    private static final int AXIS = 0x333333;
    private static final int GRID = 0xdddddd;
    private static final int LINE = 0x1f6fd0;
    private static final int AVERAGE = 0xd04020;

    private BitratePlot() {
    }

    static BufferedImage render(ChannelStats stats) {
        Canvas c = new Canvas(WIDTH, HEIGHT, BACKGROUND);
        Map<Long, Long> bits = stats.bitsPerSecond();
        long seconds = bits.isEmpty() ? 1 : Math.max(1, ((java.util.TreeMap<Long, Long>) bits).lastKey() + 1);
        double peakKbps = Math.max(1, stats.peakBitsPerSecond() / 1000.0);
        double top = niceCeiling(peakKbps * 1.1);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        c.text(LEFT, 12, 2, stats.channel() + " bitrate (kbit/s) by second", AXIS);
        for (int i = 0; i <= 4; i++) {
            int y = TOP + plotH - plotH * i / 4;
            c.line(LEFT, y, LEFT + plotW, y, GRID);
            String label = String.format("%.0f", top * i / 4);
            c.text(LEFT - 8 - label.length() * 12, y - 7, 2, label, AXIS);
        }
        long step = Math.max(1, seconds / 10);
        for (long s = 0; s <= seconds; s += step) {
            int x = LEFT + (int) (plotW * s / seconds);
            c.line(x, TOP + plotH, x, TOP + plotH + 5, AXIS);
            String label = Long.toString(s);
            c.text(x - label.length() * 6, TOP + plotH + 10, 2, label, AXIS);
        }
        c.text(LEFT + plotW / 2 - 60, HEIGHT - 18, 2, "seconds", AXIS);
        c.line(LEFT, TOP, LEFT, TOP + plotH, AXIS);
        c.line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, AXIS);

        double avgKbps = stats.averageBitrateBps() / 1000;
        int avgY = TOP + plotH - (int) Math.round(plotH * Math.min(avgKbps, top) / top);
        for (int x = LEFT; x < LEFT + plotW; x += 8) {
            c.line(x, avgY, Math.min(x + 4, LEFT + plotW), avgY, AVERAGE);
        }
        int prevX = -1;
        int prevY = -1;
        for (Map.Entry<Long, Long> e : bits.entrySet()) {
            // plot each second at its middle
            int x = LEFT + (int) Math.round(plotW * (e.getKey() + 0.5) / seconds);
            int y = TOP + plotH - (int) Math.round(plotH * (e.getValue() / 1000.0) / top);
            c.disc(x, y, 3, LINE);
            if (prevX >= 0) {
                c.thickLine(prevX, prevY, x, y, LINE);
            }
            prevX = x;
            prevY = y;
        }
        return c.image();
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
