package io.vencflow.core.wire;

import io.vencflow.core.bitstream.AnnexB;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.wire.MalformedRecordException.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAL records of the wire format: key = channel id (UTF-8), value = one access unit in Annex-B form
 * (each NAL unit behind a 4-byte start code, an IDR with its parameter sets in front), headers
 * {@code vf-seq}, {@code vf-pts-us}, {@code vf-codec}, {@code vf-width}, {@code vf-height},
 * {@code vf-keyframe}, {@code vf-gop}, {@code vf-gop-pos} (see {@link WireHeaders}). The values of one
 * channel appended in offset order are a playable elementary stream. Stateless and thread-safe.
 */
public final class NalRecords {
    /** An {@link EncodedFrame} holds at most this many packs. */
    private static final int MAX_PACKS = 64;

    private NalRecords() {
    }

    /** The record of {@code accessUnit}; the value is its {@link EncodedFrame#toAnnexB()}. */
    public static WireRecord encode(EncodedFrame accessUnit) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(WireHeaders.SEQ, HeaderText.number(accessUnit.sequence()));
        h.put(WireHeaders.PTS_US, HeaderText.number(accessUnit.ptsMicros()));
        h.put(WireHeaders.CODEC, HeaderText.text(accessUnit.codec().id()));
        h.put(WireHeaders.WIDTH, HeaderText.number(accessUnit.width()));
        h.put(WireHeaders.HEIGHT, HeaderText.number(accessUnit.height()));
        h.put(WireHeaders.KEYFRAME, HeaderText.number(accessUnit.keyframe() ? 1 : 0));
        h.put(WireHeaders.GOP, HeaderText.number(accessUnit.gopIndex()));
        h.put(WireHeaders.GOP_POS, HeaderText.number(accessUnit.gopPosition()));
        return new WireRecord(HeaderText.text(accessUnit.channel()), accessUnit.toAnnexB(), h);
    }

    /**
     * The access unit of a record, its packs copied out of the value.
     *
     * @throws MalformedRecordException when the key or a header is wrong, or the value is not one Annex-B
     *     access unit of the codec that agrees with {@code vf-keyframe} (an IDR slice exactly when it is 1)
     */
    public static EncodedFrame decode(WireRecord record) throws MalformedRecordException {
        String channel = HeaderText.channel(record);
        long sequence = HeaderText.number(record, WireHeaders.SEQ, 0, Long.MAX_VALUE);
        long pts = HeaderText.number(record, WireHeaders.PTS_US, Long.MIN_VALUE, Long.MAX_VALUE);
        Codec codec = codec(HeaderText.text(record, WireHeaders.CODEC));
        int width = (int) HeaderText.number(record, WireHeaders.WIDTH, 1, Frame.MAX_DIMENSION);
        int height = (int) HeaderText.number(record, WireHeaders.HEIGHT, 1, Frame.MAX_DIMENSION);
        boolean keyframe = HeaderText.number(record, WireHeaders.KEYFRAME, 0, 1) == 1;
        long gop = HeaderText.number(record, WireHeaders.GOP, 0, Long.MAX_VALUE);
        int gopPosition = (int) HeaderText.number(record, WireHeaders.GOP_POS, 0, Integer.MAX_VALUE);
        String what = "NAL record #" + sequence + " of channel " + channel;
        if (keyframe != (gopPosition == 0)) {
            throw new MalformedRecordException(Problem.INVALID_HEADER, what + " has " + WireHeaders.KEYFRAME + " "
                    + (keyframe ? 1 : 0) + " and " + WireHeaders.GOP_POS + " " + gopPosition
                    + "; position 0 is the IDR and only the IDR");
        }
        byte[] value = record.value();
        if (value == null) {
            throw new MalformedRecordException(Problem.MISSING_VALUE, what + " has no value; expected an Annex-B"
                    + " access unit");
        }
        List<Pack> packs = packs(codec, value, what);
        boolean hasIdr = false;
        boolean hasPicture = false;
        for (Pack p : packs) {
            hasIdr |= NalUnit.isIdr(codec, p.nalType());
            hasPicture |= NalUnit.isVcl(codec, p.nalType());
        }
        if (!hasPicture) {
            throw new MalformedRecordException(Problem.INVALID_ACCESS_UNIT, what + " holds " + packs.size()
                    + " NAL units but no slice; expected one picture");
        }
        if (hasIdr != keyframe) {
            throw new MalformedRecordException(Problem.INVALID_ACCESS_UNIT, what + " has " + WireHeaders.KEYFRAME
                    + " " + (keyframe ? 1 : 0) + " but " + (hasIdr ? "holds" : "holds no") + " IDR slice");
        }
        return new EncodedFrame(channel, sequence, pts, codec, width, height, keyframe, gop, gopPosition, packs);
    }

    private static List<Pack> packs(Codec codec, byte[] value, String what) throws MalformedRecordException {
        if (!startsWithStartCode(value)) {
            throw new MalformedRecordException(Problem.INVALID_ACCESS_UNIT, what + " value of " + value.length
                    + " bytes does not begin with an Annex-B start code (00 00 01 or 00 00 00 01)");
        }
        List<AnnexB.Range> ranges = AnnexB.scan(value);
        if (ranges.size() > MAX_PACKS) {
            throw new MalformedRecordException(Problem.INVALID_ACCESS_UNIT, what + " holds " + ranges.size()
                    + " NAL units; expected at most " + MAX_PACKS + " in one access unit");
        }
        int headerBytes = codec == Codec.H264 ? 1 : 2;
        List<Pack> packs = new ArrayList<>(ranges.size());
        for (AnnexB.Range r : ranges) {
            if (r.length() < headerBytes || (value[r.offset()] & 0x80) != 0) {
                throw new MalformedRecordException(Problem.INVALID_ACCESS_UNIT, what + ": NAL unit " + packs.size()
                        + " at byte " + r.offset() + " is not a " + codec.id() + " NAL unit ("
                        + (r.length() < headerBytes ? r.length() + " bytes, shorter than its header"
                                : "forbidden_zero_bit set") + ")");
            }
            packs.add(Pack.of(codec, value, r.offset(), r.length()));
        }
        if (packs.isEmpty()) {
            throw new MalformedRecordException(Problem.INVALID_ACCESS_UNIT, what + " holds no NAL unit");
        }
        return packs;
    }

    private static boolean startsWithStartCode(byte[] v) {
        return (v.length >= 3 && v[0] == 0 && v[1] == 0 && v[2] == 1)
                || (v.length >= 4 && v[0] == 0 && v[1] == 0 && v[2] == 0 && v[3] == 1);
    }

    private static Codec codec(String id) throws MalformedRecordException {
        for (Codec c : Codec.values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new MalformedRecordException(Problem.UNKNOWN_CODEC, "header " + WireHeaders.CODEC + " is '"
                + HeaderText.printable(id) + "'; expected h264 or h265");
    }
}
