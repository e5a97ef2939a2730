package io.vencflow.core.frame;

import java.util.Locale;

/**
 * Layouts of the pixel bytes a {@link Frame} carries. All are tightly packed: no row padding,
 * planes one after the other.
 */
public enum PixelFormat {
    /** Planar 4:2:0: the Y plane, then U, then V, each chroma plane (w/2)x(h/2). */
    I420(true),
    /** Semi-planar 4:2:0: the Y plane, then interleaved U,V pairs (the K230's YUV420SP). */
    NV12(true),
    /** Semi-planar 4:2:0: the Y plane, then interleaved V,U pairs. */
    NV21(true),
    /** 16 bits a pixel, little-endian, red in the top 5 bits (as OpenMV and ESP32 sensors deliver it). */
    RGB565(false),
    /** 3 bytes a pixel: red, green, blue. */
    RGB888(false),
    /** 3 bytes a pixel: blue, green, red. */
    BGR888(false),
    /** 1 byte a pixel, full-range luminance. */
    GRAY8(false);

    private final boolean chromaSubsampled;

    PixelFormat(boolean chromaSubsampled) {
        this.chromaSubsampled = chromaSubsampled;
    }

    /** Whether the format stores 4:2:0 chroma, which needs even width and height. */
    public boolean isChromaSubsampled() {
        return chromaSubsampled;
    }

    /** The number of bytes of one frame of this format and size. */
    public int frameSize(int width, int height) {
        long pixels = (long) width * height;
        long size = switch (this) {
            case I420, NV12, NV21 -> pixels + 2L * (width / 2) * (height / 2);
            case RGB565 -> pixels * 2;
            case RGB888, BGR888 -> pixels * 3;
            case GRAY8 -> pixels;
        };
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "a " + width + "x" + height + " " + this + " frame needs " + size + " bytes, over the 2 GiB a frame can hold");
        }
        return (int) size;
    }

    /** The lower-case name used on command lines and in the Kafka wire format. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a format name, case-insensitively; {@code yuv420p} and {@code yuv420sp} are accepted as
     * the names ffmpeg and the K230 use for I420 and NV12.
     */
    public static PixelFormat parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "yuv420p":
                return I420;
            case "yuv420sp":
                return NV12;
            default:
                for (PixelFormat f : values()) {
                    if (f.id().equals(n)) {
                        return f;
                    }
                }
                throw new IllegalArgumentException("unknown pixel format '" + name
                        + "'; expected one of i420, nv12, nv21, rgb565, rgb888, bgr888, gray8");
        }
    }
}
