package io.vencflow.core.codec;

import java.util.Locale;

/** How an encoder spends bits. */
public enum RateControlMode {
    /** Constant bitrate: the target rate, held by a VBV buffer of one second. */
    CBR,
    /** Variable bitrate capped at the target rate (quality first, never above the cap over a second). */
    VBR,
    /** Constant QP: every picture at {@link EncoderConfig#qp()}, no rate target. */
    CQP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RateControlMode parse(String name) {
        for (RateControlMode m : values()) {
            if (m.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown rate control '" + name + "'; expected cbr, vbr or cqp");
    }
}
