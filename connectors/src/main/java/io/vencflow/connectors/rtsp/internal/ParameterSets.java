package io.vencflow.connectors.rtsp.internal;

import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.Pack;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The latest parameter sets of a channel (H.264: SPS and PPS; H.265: VPS, SPS and PPS), as NAL units
 * with their headers. What the SDP's {@code sprop-*} carries and what a client starting at an IDR
 * without in-band parameter sets is sent first. One of each type is kept: the last seen. Immutable.
 */
public final class ParameterSets {
    private final Codec codec;
    private final Pack vps;
    private final Pack sps;
    private final Pack pps;
    private final SequenceParameterSet parsedSps;

    private ParameterSets(Codec codec, Pack vps, Pack sps, Pack pps) {
        this.codec = codec;
        this.vps = vps;
        this.sps = sps;
        this.pps = pps;
        this.parsedSps = sps == null ? null : SequenceParameterSet.parse(codec, sps.toByteArray());
    }

    /** No parameter sets yet. */
    public static ParameterSets empty(Codec codec) {
        return new ParameterSets(Objects.requireNonNull(codec, "codec"), null, null, null);
    }

    /**
     * These parameter sets updated with those among {@code packs} (one access unit); returns this
     * instance when the access unit carries none. An SPS that does not parse is refused with
     * {@link IllegalArgumentException}, since the SDP could not describe it.
     */
    public ParameterSets update(List<Pack> packs) {
        Pack v = vps;
        Pack s = sps;
        Pack p = pps;
        boolean changed = false;
        for (Pack pack : packs) {
            int type = pack.nalType();
            if (!NalUnit.isParameterSet(codec, type)) {
                continue;
            }
            changed = true;
            if (type == NalUnit.H265_VPS && codec == Codec.H265) {
                v = pack;
            } else if (type == (codec == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS)) {
                s = pack;
            } else {
                p = pack;
            }
        }
        if (!changed || (Objects.equals(v, vps) && Objects.equals(s, sps) && Objects.equals(p, pps))) {
            return this;
        }
        return new ParameterSets(codec, v, s, p);
    }

    public Codec codec() {
        return codec;
    }

    /** Whether every parameter set the codec needs is known. */
    public boolean complete() {
        return sps != null && pps != null && (codec == Codec.H264 || vps != null);
    }

    public Pack vps() {
        return vps;
    }

    public Pack sps() {
        return sps;
    }

    public Pack pps() {
        return pps;
    }

    /** The parsed SPS, or null when none is known. */
    public SequenceParameterSet parsedSps() {
        return parsedSps;
    }

    /** The parameter sets in the order a decoder wants them (VPS, SPS, PPS). */
    public List<Pack> packs() {
        List<Pack> out = new ArrayList<>(3);
        if (vps != null) {
            out.add(vps);
        }
        if (sps != null) {
            out.add(sps);
        }
        if (pps != null) {
            out.add(pps);
        }
        return out;
    }
}
