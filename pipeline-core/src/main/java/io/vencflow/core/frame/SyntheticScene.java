package io.vencflow.core.frame;

import java.nio.charset.StandardCharsets;

/**
 * A deterministic moving scene for one channel: a textured background panning at a speed of its own,
 * a box bouncing across it, light sensor noise, and the channel name and frame number drawn in the
 * top-left corner. Two channels with different names get different scenes; the same channel, size
 * and sequence always give the same pixels. Something an encoder must really work on.
 *
 * <p>Renders I420 directly and converts to other formats. Not thread-safe (one per channel).
 */
public final class SyntheticScene {
    private static final int TILE = 512;
    private static final int TILE_MASK = TILE - 1;
    private static final int CHROMA_TILE = TILE / 2;
    private static final int CHROMA_MASK = CHROMA_TILE - 1;

    private final String channel;
    private final int width;
    private final int height;
    private final PixelFormat format;
    private final int noise;
    private final byte[] lumaTile = new byte[TILE * TILE];
    private final byte[] uTile = new byte[CHROMA_TILE * CHROMA_TILE];
    private final byte[] vTile = new byte[CHROMA_TILE * CHROMA_TILE];
    private final int panX;
    private final int panY;
    private final int boxLuma;
    private final int boxU;
    private final int boxV;
    private final byte[] i420;

    /** A scene with light sensor noise (amplitude 2). */
    public SyntheticScene(String channel, int width, int height, PixelFormat format) {
        this(channel, width, height, format, 2);
    }

    /** @param noise amplitude of the per-pixel temporal noise on luma, 0 for none */
    public SyntheticScene(String channel, int width, int height, PixelFormat format, int noise) {
        this.channel = ChannelId.check(channel);
        Frame.checkDimensions(width, height, PixelFormat.I420);
        if (noise < 0 || noise > 64) {
            throw new IllegalArgumentException("noise " + noise + " is out of range; expected 0..64");
        }
        this.width = width;
        this.height = height;
        this.format = format;
        this.noise = noise;
        int seed = mix(channel.hashCode());
        this.panX = 1 + Math.floorMod(seed, 4);
        this.panY = Math.floorMod(seed >> 8, 3) - 1;
        this.boxLuma = 60 + Math.floorMod(seed >> 12, 150);
        this.boxU = 64 + Math.floorMod(seed >> 16, 128);
        this.boxV = 64 + Math.floorMod(seed >> 20, 128);
        this.i420 = new byte[ColorConversion.i420Size(width, height)];
        buildTiles(seed);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public PixelFormat format() {
        return format;
    }

    /** Renders frame {@code sequence}; the result owns a fresh pixel array. */
    public Frame render(long sequence, long ptsMicros) {
        drawBackground(sequence);
        drawBox(sequence);
        drawNoise(sequence);
        drawLabel(channel + " #" + sequence);
        byte[] pixels = new byte[format.frameSize(width, height)];
        ColorConversion.fromI420(i420, width, height, format, pixels);
        return new Frame(channel, sequence, ptsMicros, width, height, format, pixels);
    }

    private void buildTiles(int seed) {
        double p1 = (seed & 0xff) / 40.0;
        double p2 = ((seed >> 8) & 0xff) / 40.0;
        double p3 = ((seed >> 16) & 0xff) / 40.0;
        for (int y = 0; y < TILE; y++) {
            for (int x = 0; x < TILE; x++) {
                double v = 128
                        + 38 * Math.sin(2 * Math.PI * x / 64 + p1) * Math.cos(2 * Math.PI * y / 128 + p2)
                        + 22 * Math.sin(2 * Math.PI * (x + 2 * y) / 32 + p3)
                        + (Math.floorMod(mix(seed ^ ((x >> 3) * 73856093) ^ ((y >> 3) * 19349663)), 41) - 20);
                lumaTile[y * TILE + x] = (byte) clip((int) Math.round(v), 16, 235);
            }
        }
        for (int y = 0; y < CHROMA_TILE; y++) {
            for (int x = 0; x < CHROMA_TILE; x++) {
                double u = 128 + 45 * Math.sin(2 * Math.PI * x / CHROMA_TILE + p2) + 10 * Math.sin(2 * Math.PI * y / 32);
                double v = 128 + 45 * Math.cos(2 * Math.PI * y / CHROMA_TILE + p3) + 10 * Math.cos(2 * Math.PI * x / 32);
                uTile[y * CHROMA_TILE + x] = (byte) clip((int) Math.round(u), 16, 240);
                vTile[y * CHROMA_TILE + x] = (byte) clip((int) Math.round(v), 16, 240);
            }
        }
    }

    private void drawBackground(long t) {
        int dx = (int) Math.floorMod(t * panX, (long) TILE);
        int dy = (int) Math.floorMod(t * panY, (long) TILE);
        for (int y = 0; y < height; y++) {
            int row = ((y + dy) & TILE_MASK) * TILE;
            int out = y * width;
            for (int x = 0; x < width; x++) {
                i420[out + x] = lumaTile[row + ((x + dx) & TILE_MASK)];
            }
        }
        int cw = width / 2;
        int ch = height / 2;
        int uOff = width * height;
        int vOff = uOff + cw * ch;
        int cdx = dx / 2;
        int cdy = dy / 2;
        for (int y = 0; y < ch; y++) {
            int row = ((y + cdy) & CHROMA_MASK) * CHROMA_TILE;
            for (int x = 0; x < cw; x++) {
                int src = row + ((x + cdx) & CHROMA_MASK);
                i420[uOff + y * cw + x] = uTile[src];
                i420[vOff + y * cw + x] = vTile[src];
            }
        }
    }

    /** A box one sixth of the picture, bouncing, with its own texture sliding the other way. */
    private void drawBox(long t) {
        int bw = Math.max(8, width / 6) & ~1;
        int bh = Math.max(8, height / 6) & ~1;
        int x0 = bounce(t * 5, width - bw) & ~1;
        int y0 = bounce(t * 3, height - bh) & ~1;
        int shift = (int) Math.floorMod(-t * 4, (long) TILE);
        for (int y = 0; y < bh; y++) {
            int out = (y0 + y) * width + x0;
            int row = ((y * 2) & TILE_MASK) * TILE;
            for (int x = 0; x < bw; x++) {
                int tex = lumaTile[row + ((x + shift) & TILE_MASK)] & 0xff;
                i420[out + x] = (byte) clip((boxLuma + tex) / 2, 16, 235);
            }
        }
        int cw = width / 2;
        int uOff = width * height;
        int vOff = uOff + cw * (height / 2);
        for (int y = 0; y < bh / 2; y++) {
            int o = (y0 / 2 + y) * cw + x0 / 2;
            for (int x = 0; x < bw / 2; x++) {
                i420[uOff + o + x] = (byte) boxU;
                i420[vOff + o + x] = (byte) boxV;
            }
        }
    }

    private static int bounce(long travelled, int span) {
        if (span <= 0) {
            return 0;
        }
        long period = 2L * span;
        long p = Math.floorMod(travelled, period);
        return (int) (p <= span ? p : period - p);
    }

    private void drawNoise(long t) {
        if (noise == 0) {
            return;
        }
        int range = 2 * noise + 1;
        int r = mix((int) t * 0x9E3779B1 ^ channel.hashCode());
        int n = width * height;
        for (int i = 0; i < n; i++) {
            r = r * 1103515245 + 12345;
            int d = ((r >>> 16) % range) - noise;
            i420[i] = (byte) clip((i420[i] & 0xff) + d, 16, 235);
        }
    }

    private void drawLabel(String text) {
        int scale = Math.max(1, height / 180);
        int pad = 2 * scale;
        byte[] chars = text.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        int boxW = Math.min(width, chars.length * 6 * scale + 2 * pad);
        int boxH = Math.min(height, 7 * scale + 2 * pad);
        for (int y = 0; y < boxH; y++) {
            java.util.Arrays.fill(i420, y * width, y * width + boxW, (byte) 16);
        }
        int cw = width / 2;
        int uOff = width * height;
        int vOff = uOff + cw * (height / 2);
        for (int y = 0; y < boxH / 2; y++) {
            java.util.Arrays.fill(i420, uOff + y * cw, uOff + y * cw + boxW / 2, (byte) 128);
            java.util.Arrays.fill(i420, vOff + y * cw, vOff + y * cw + boxW / 2, (byte) 128);
        }
        for (int c = 0; c < chars.length; c++) {
            int[] glyph = BitmapFont.glyph(chars[c]);
            int gx = pad + c * 6 * scale;
            for (int row = 0; row < 7; row++) {
                for (int col = 0; col < 5; col++) {
                    if ((glyph[row] >> (4 - col) & 1) == 0) {
                        continue;
                    }
                    for (int sy = 0; sy < scale; sy++) {
                        int y = pad + row * scale + sy;
                        for (int sx = 0; sx < scale; sx++) {
                            int x = gx + col * scale + sx;
                            if (x < width && y < height) {
                                i420[y * width + x] = (byte) 235;
                            }
                        }
                    }
                }
            }
        }
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private static int clip(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
