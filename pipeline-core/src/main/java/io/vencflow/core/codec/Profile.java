package io.vencflow.core.codec;

import java.util.Locale;

/** Encoder profiles. H.264 has all three; H.265 only {@link #MAIN}. */
public enum Profile {
    /** H.264 Constrained Baseline (profile_idc 66 with constraint_set1): no B-frames, CAVLC. */
    BASELINE,
    /** H.264 Main (77) or H.265 Main. */
    MAIN,
    /** H.264 High (100). */
    HIGH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code codec} has this profile. */
    public boolean isValidFor(Codec codec) {
        return codec == Codec.H264 || this == MAIN;
    }

    public static Profile parse(String name) {
        for (Profile p : values()) {
            if (p.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + name + "'; expected baseline, main or high");
    }
}
