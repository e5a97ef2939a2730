package io.vencflow.core.frame;

/**
 * Conversions between the {@link PixelFormat}s, with BT.601 limited range ("studio swing": Y in
 * 16..235, U and V in 16..240) between RGB and YUV.
 *
 * <p>RGB to YUV uses the BT.601 matrix in 16-bit fixed point with rounding, so a colour converts
 * to the value the formula gives rounded to the nearest integer. Chroma of a 2x2 block is computed
 * from the block's average colour. GRAY8 is full-range luminance and maps like RGB with R=G=B.
 */
public final class ColorConversion {
    // BT.601: Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255, scaled by 2^16.
    private static final int YR = 16829;
    private static final int YG = 33039;
    private static final int YB = 6416;
    // U = 128 + (-37.797 R - 74.203 G + 112 B) / 255; each row sums to 0 so grey stays at 128.
    private static final int UR = -9714;
    private static final int UG = -19071;
    private static final int UB = 28785;
    // V = 128 + (112 R - 93.786 G - 18.214 B) / 255
    private static final int VR = 28785;
    private static final int VG = -24103;
    private static final int VB = -4682;
    private static final int HALF = 1 << 15;

    // Inverse, limited range: R = 1.164 (Y-16) + 1.596 (V-128), etc., scaled by 2^16.
    private static final int IY = 76309;
    private static final int IRV = 104597;
    private static final int IGU = 25675;
    private static final int IGV = 53279;
    private static final int IBU = 132201;

    private ColorConversion() {
    }

    /** The number of bytes of an I420 frame of this size. */
    public static int i420Size(int width, int height) {
        return PixelFormat.I420.frameSize(width, height);
    }

    /** Converts {@code src} to a new frame of {@code target} format with the same channel, sequence and time. */
    public static Frame convert(Frame src, PixelFormat target) {
        if (src.format() == target) {
            return src;
        }
        Frame.checkDimensions(src.width(), src.height(), target);
        byte[] out = new byte[target.frameSize(src.width(), src.height())];
        if (isRgb(src.format()) && isRgb(target)) {
            rgbToRgb(src, target, out);
        } else if (target == PixelFormat.I420) {
            toI420(src, out);
        } else {
            byte[] i420 = new byte[i420Size(src.width(), src.height())];
            toI420(src, i420);
            fromI420(i420, src.width(), src.height(), target, out);
        }
        return new Frame(src.channel(), src.sequence(), src.ptsMicros(), src.width(), src.height(), target, out);
    }

    /**
     * Writes {@code src} as I420 into {@code dst} (which must hold {@link #i420Size}); the
     * encoders' common input.
     */
    public static void toI420(Frame src, byte[] dst) {
        int w = src.width();
        int h = src.height();
        requireEven(w, h);
        int lumaSize = w * h;
        int chromaSize = (w / 2) * (h / 2);
        if (dst.length < lumaSize + 2 * chromaSize) {
            throw new IllegalArgumentException("I420 buffer of " + dst.length + " bytes is too small for "
                    + w + "x" + h + "; expected " + (lumaSize + 2 * chromaSize));
        }
        byte[] s = src.array();
        switch (src.format()) {
            case I420 -> System.arraycopy(s, 0, dst, 0, lumaSize + 2 * chromaSize);
            case NV12 -> deinterleave(s, lumaSize, chromaSize, dst, lumaSize, lumaSize + chromaSize);
            case NV21 -> deinterleave(s, lumaSize, chromaSize, dst, lumaSize + chromaSize, lumaSize);
            case GRAY8 -> {
                for (int i = 0; i < lumaSize; i++) {
                    int g = s[i] & 0xff;
                    dst[i] = (byte) (16 + (((YR + YG + YB) * g + HALF) >> 16));
                }
                java.util.Arrays.fill(dst, lumaSize, lumaSize + 2 * chromaSize, (byte) 128);
            }
            case RGB565, RGB888, BGR888 -> rgbToI420(src, dst);
        }
    }

    /** Writes a tightly packed I420 picture as {@code target} into {@code dst}. */
    public static void fromI420(byte[] i420, int w, int h, PixelFormat target, byte[] dst) {
        requireEven(w, h);
        int lumaSize = w * h;
        int chromaSize = (w / 2) * (h / 2);
        switch (target) {
            case I420 -> System.arraycopy(i420, 0, dst, 0, lumaSize + 2 * chromaSize);
            case NV12 -> interleave(i420, lumaSize, chromaSize, dst, lumaSize, lumaSize + chromaSize);
            case NV21 -> interleave(i420, lumaSize, chromaSize, dst, lumaSize + chromaSize, lumaSize);
            case GRAY8 -> {
                for (int i = 0; i < lumaSize; i++) {
                    int y = (i420[i] & 0xff) - 16;
                    dst[i] = (byte) clip((IY * y + HALF) >> 16);
                }
            }
            case RGB565, RGB888, BGR888 -> i420ToRgb(i420, w, h, target, dst);
        }
    }

    private static void requireEven(int w, int h) {
        if (w % 2 != 0) {
            throw new IllegalArgumentException("width " + w + " is odd; 4:2:0 needs even dimensions");
        }
        if (h % 2 != 0) {
            throw new IllegalArgumentException("height " + h + " is odd; 4:2:0 needs even dimensions");
        }
    }

    private static boolean isRgb(PixelFormat f) {
        return f == PixelFormat.RGB565 || f == PixelFormat.RGB888 || f == PixelFormat.BGR888;
    }

    private static void deinterleave(byte[] s, int lumaSize, int chromaSize, byte[] dst, int firstOff, int secondOff) {
        System.arraycopy(s, 0, dst, 0, lumaSize);
        for (int i = 0, p = lumaSize; i < chromaSize; i++, p += 2) {
            dst[firstOff + i] = s[p];
            dst[secondOff + i] = s[p + 1];
        }
    }

    private static void interleave(byte[] i420, int lumaSize, int chromaSize, byte[] dst, int firstOff, int secondOff) {
        System.arraycopy(i420, 0, dst, 0, lumaSize);
        for (int i = 0, p = lumaSize; i < chromaSize; i++, p += 2) {
            dst[p] = i420[firstOff + i];
            dst[p + 1] = i420[secondOff + i];
        }
    }

    /** Reads pixel {@code index} of an RGB-family frame as 0xRRGGBB. */
    private static int rgbAt(byte[] s, PixelFormat f, int index) {
        switch (f) {
            case RGB565: {
                int v = (s[2 * index] & 0xff) | ((s[2 * index + 1] & 0xff) << 8);
                int r5 = v >>> 11;
                int g6 = (v >>> 5) & 0x3f;
                int b5 = v & 0x1f;
                int r = (r5 << 3) | (r5 >>> 2);
                int g = (g6 << 2) | (g6 >>> 4);
                int b = (b5 << 3) | (b5 >>> 2);
                return (r << 16) | (g << 8) | b;
            }
            case RGB888:
                return ((s[3 * index] & 0xff) << 16) | ((s[3 * index + 1] & 0xff) << 8) | (s[3 * index + 2] & 0xff);
            case BGR888:
                return ((s[3 * index + 2] & 0xff) << 16) | ((s[3 * index + 1] & 0xff) << 8) | (s[3 * index] & 0xff);
            default:
                throw new IllegalStateException("not an RGB format: " + f);
        }
    }

    private static void putRgb(byte[] d, PixelFormat f, int index, int r, int g, int b) {
        switch (f) {
            case RGB565 -> {
                int v = ((r >>> 3) << 11) | ((g >>> 2) << 5) | (b >>> 3);
                d[2 * index] = (byte) v;
                d[2 * index + 1] = (byte) (v >>> 8);
            }
            case RGB888 -> {
                d[3 * index] = (byte) r;
                d[3 * index + 1] = (byte) g;
                d[3 * index + 2] = (byte) b;
            }
            case BGR888 -> {
                d[3 * index] = (byte) b;
                d[3 * index + 1] = (byte) g;
                d[3 * index + 2] = (byte) r;
            }
            default -> throw new IllegalStateException("not an RGB format: " + f);
        }
    }

    private static void rgbToRgb(Frame src, PixelFormat target, byte[] out) {
        byte[] s = src.array();
        int n = src.width() * src.height();
        for (int i = 0; i < n; i++) {
            int rgb = rgbAt(s, src.format(), i);
            putRgb(out, target, i, rgb >>> 16, (rgb >>> 8) & 0xff, rgb & 0xff);
        }
    }

    private static void rgbToI420(Frame src, byte[] dst) {
        byte[] s = src.array();
        PixelFormat f = src.format();
        int w = src.width();
        int h = src.height();
        int cw = w / 2;
        int uOff = w * h;
        int vOff = uOff + cw * (h / 2);
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                int i0 = y * w + x;
                int p0 = rgbAt(s, f, i0);
                int p1 = rgbAt(s, f, i0 + 1);
                int p2 = rgbAt(s, f, i0 + w);
                int p3 = rgbAt(s, f, i0 + w + 1);
                dst[i0] = luma(p0);
                dst[i0 + 1] = luma(p1);
                dst[i0 + w] = luma(p2);
                dst[i0 + w + 1] = luma(p3);
                int r = ((p0 >>> 16) + (p1 >>> 16) + (p2 >>> 16) + (p3 >>> 16) + 2) >> 2;
                int g = (((p0 >>> 8) & 0xff) + ((p1 >>> 8) & 0xff) + ((p2 >>> 8) & 0xff) + ((p3 >>> 8) & 0xff) + 2) >> 2;
                int b = ((p0 & 0xff) + (p1 & 0xff) + (p2 & 0xff) + (p3 & 0xff) + 2) >> 2;
                int c = (y / 2) * cw + x / 2;
                dst[uOff + c] = (byte) (128 + ((UR * r + UG * g + UB * b + HALF) >> 16));
                dst[vOff + c] = (byte) (128 + ((VR * r + VG * g + VB * b + HALF) >> 16));
            }
        }
    }

    private static byte luma(int rgb) {
        return (byte) (16 + ((YR * (rgb >>> 16) + YG * ((rgb >>> 8) & 0xff) + YB * (rgb & 0xff) + HALF) >> 16));
    }

    private static void i420ToRgb(byte[] i420, int w, int h, PixelFormat target, byte[] dst) {
        int cw = w / 2;
        int uOff = w * h;
        int vOff = uOff + cw * (h / 2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = (y / 2) * cw + x / 2;
                int yy = IY * ((i420[y * w + x] & 0xff) - 16);
                int u = (i420[uOff + c] & 0xff) - 128;
                int v = (i420[vOff + c] & 0xff) - 128;
                int r = clip((yy + IRV * v + HALF) >> 16);
                int g = clip((yy - IGU * u - IGV * v + HALF) >> 16);
                int b = clip((yy + IBU * u + HALF) >> 16);
                putRgb(dst, target, y * w + x, r, g, b);
            }
        }
    }

    private static int clip(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
