package io.vencflow.jobs.analyze;

import io.vencflow.core.frame.BitmapFont;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

/** Pixels, lines and text on an RGB image, with no fonts or graphics environment needed. */
final class Canvas {
    private final BufferedImage image;
    private final int width;
    private final int height;

    Canvas(int width, int height, int background) {
        this.width = width;
        this.height = height;
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, background);
            }
        }
    }

    BufferedImage image() {
        return image;
    }

    void set(int x, int y, int rgb) {
        if (x >= 0 && y >= 0 && x < width && y < height) {
            image.setRGB(x, y, rgb);
        }
    }

    void line(int x0, int y0, int x1, int y1, int rgb) {
        int dx = Math.abs(x1 - x0);
        int dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        while (true) {
            set(x0, y0, rgb);
            if (x0 == x1 && y0 == y1) {
                return;
            }
            int e2 = 2 * err;
            if (e2 >= dy) {
                err += dy;
                x0 += sx;
            }
            if (e2 <= dx) {
                err += dx;
                y0 += sy;
            }
        }
    }

    void thickLine(int x0, int y0, int x1, int y1, int rgb) {
        line(x0, y0, x1, y1, rgb);
        line(x0, y0 + 1, x1, y1 + 1, rgb);
        line(x0 + 1, y0, x1 + 1, y1, rgb);
    }

    void disc(int cx, int cy, int r, int rgb) {
        for (int y = -r; y <= r; y++) {
            for (int x = -r; x <= r; x++) {
                if (x * x + y * y <= r * r) {
                    set(cx + x, cy + y, rgb);
                }
            }
        }
    }

    void fill(int x0, int y0, int w, int h, int rgb) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                set(x, y, rgb);
            }
        }
    }

    void text(int x, int y, int scale, String text, int rgb) {
        byte[] chars = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < chars.length; i++) {
            for (int row = 0; row < BitmapFont.HEIGHT; row++) {
                for (int col = 0; col < BitmapFont.WIDTH; col++) {
                    if (BitmapFont.isSet(chars[i], col, row)) {
                        fill(x + (i * BitmapFont.ADVANCE + col) * scale, y + row * scale, scale, scale, rgb);
                    }
                }
            }
        }
    }

    /** Draws an RGB888 picture (tightly packed) at ({@code x0}, {@code y0}). */
    void picture(int x0, int y0, byte[] rgb, int w, int h) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                set(x0 + x, y0 + y, ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff));
            }
        }
    }
}
