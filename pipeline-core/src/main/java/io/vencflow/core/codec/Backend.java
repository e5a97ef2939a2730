package io.vencflow.core.codec;

import java.util.Locale;

/** Which implementation encodes (or decodes). */
public enum Backend {
    /** The native backend where its libraries load, else the pure-Java one, with one log line saying why. */
    AUTO,
    /** libx264 / libx265 through FFmpeg (bytedeco presets): fast, every codec and profile. */
    FFMPEG,
    /** JCodec 0.2.5's H.264 encoder: pure Java, Constrained Baseline only, not conformant (see the README). */
    JCODEC,
    /** Our own pure-Java H.264 encoder: Constrained Baseline, conformant, multi-slice threads (see the README). */
    JAVA;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Backend parse(String name) {
        for (Backend b : values()) {
            if (b.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; expected auto, ffmpeg, jcodec or java");
    }
}
