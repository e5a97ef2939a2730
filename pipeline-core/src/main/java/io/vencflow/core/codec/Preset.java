package io.vencflow.core.codec;

import java.util.Locale;

/** Encoder speed presets, fastest first, named as x264 and x265 name them. */
public enum Preset {
    ULTRAFAST,
    SUPERFAST,
    VERYFAST,
    FASTER,
    FAST,
    MEDIUM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Preset parse(String name) {
        for (Preset p : values()) {
            if (p.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name
                + "'; expected ultrafast, superfast, veryfast, faster, fast or medium");
    }
}
