package io.vencflow.core.codec;

import java.util.Locale;

/** The video codecs vencflow produces. */
public enum Codec {
    H264,
    H265;

    /** The lower-case name used on command lines and in the Kafka wire format ({@code h264}, {@code h265}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code h264}/{@code avc} or {@code h265}/{@code hevc}, case-insensitively. */
    public static Codec parse(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "h264":
            case "avc":
                return H264;
            case "h265":
            case "hevc":
                return H265;
            default:
                throw new IllegalArgumentException("unknown codec '" + name + "'; expected h264 or h265");
        }
    }
}
