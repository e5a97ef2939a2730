package io.vencflow.core.codec.avc;

import io.vencflow.core.bitstream.AnnexB;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import java.nio.ByteBuffer;
import java.util.List;
import org.jcodec.codecs.h264.io.model.HRDParameters;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.common.io.BitReader;

/**
 * The NAL HRD of H.264 Annex C run over a CBR byte stream, from what the stream itself signals: the
 * SPS's HRD and timing, each access unit's buffering period and picture timing SEI, and the access
 * units' sizes (start codes included). Bits arrive without a pause at the declared rate (cbr_flag
 * 1: t_ai(n) = t_af(n-1)); access unit n leaves at t_r(n) = t_r(n_b) + t_c * cpb_removal_delay(n),
 * the first at initial_cpb_removal_delay / 90 kHz. Exact: times in units of 1 / (90000 x time_scale
 * x rate) s. Independent of the encoder's own buffer model.
 */
final class HrdCheck {
    /**
     * What the run found; {@link #violations} is empty for a conforming stream. {@code lowestBits}:
     * the least that arrived after an access unit's last bit by its removal (below 0: it underflowed);
     * {@code highestBits}: the most the buffer held, just before a removal.
     */
    record Result(long rateBps, long cpbBits, boolean cbr, int accessUnits, int bufferingPeriods, long fillerBytes,
            long lowestBits, long highestBits, List<String> violations) {}

    private HrdCheck() {}

    /**
     * Runs the HRD over each coded video sequence whose SPS declares a new rate or buffer as over a
     * stream of its own (the HRD starts again there); the sums and violations of all of them.
     */
    static Result run(List<EncodedFrame> accessUnits) {
        List<List<EncodedFrame>> runs = new java.util.ArrayList<>();
        String declared = null;
        for (EncodedFrame au : accessUnits) {
            for (Pack p : au.packs()) {
                if (p.nalType() == ParameterSets.NAL_SPS) {
                    HRDParameters hrd = hrd(SeqParameterSet.read(ByteBuffer.wrap(rbsp(p))));
                    String now = hrd.bitRateValueMinus1[0] + "<<" + hrd.bitRateScale + "/" + hrd.cpbSizeValueMinus1[0]
                            + "<<" + hrd.cpbSizeScale;
                    if (!now.equals(declared)) {
                        runs.add(new java.util.ArrayList<>());
                        declared = now;
                    }
                }
            }
            if (runs.isEmpty()) {
                throw new AssertionError("the stream does not start with an SPS");
            }
            runs.get(runs.size() - 1).add(au);
        }
        Result sum = null;
        int offset = 0;
        for (List<EncodedFrame> run : runs) {
            Result r = runOne(run, offset);
            offset += run.size();
            sum = sum == null ? r : new Result(r.rateBps(), r.cpbBits(), sum.cbr() && r.cbr(),
                    sum.accessUnits() + r.accessUnits(), sum.bufferingPeriods() + r.bufferingPeriods(),
                    sum.fillerBytes() + r.fillerBytes(), Math.min(sum.lowestBits(), r.lowestBits()),
                    Math.max(sum.highestBits(), r.highestBits()), concat(sum.violations(), r.violations()));
        }
        return sum;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** One run of the HRD from its first buffering period; {@code first} numbers its access units. */
    private static Result runOne(List<EncodedFrame> accessUnits, int first) {
        List<String> violations = new java.util.ArrayList<>();
        SeqParameterSet sps = null;
        long rate = 0;
        long cpb = 0;
        long timeScale = 0;
        long unitsInTick = 0;
        long removalBase = 0; // t_r(n_b)
        long removalTicks;
        long arrivedEnd = 0; // t_af(n - 1)
        long removed = 0; // bits of the access units removed so far
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        long filler = 0;
        int periods = 0;
        int n = 0;
        int index = first;
        long totalBits = 0;
        for (EncodedFrame au : accessUnits) {
            totalBits += 8L * au.annexBSize();
        }
        for (EncodedFrame au : accessUnits) {
            long bits = 8L * au.annexBSize();
            Long initialDelay = null;
            Long removalDelay = null;
            for (Pack p : au.packs()) {
                byte[] rbsp = rbsp(p);
                switch (p.nalType()) {
                    case ParameterSets.NAL_SPS -> sps = SeqParameterSet.read(ByteBuffer.wrap(rbsp));
                    case ParameterSets.NAL_FILLER -> filler += p.size();
                    case ParameterSets.NAL_SEI -> {
                        long[] delays = sei(rbsp, hrd(sps));
                        if (delays[0] >= 0) {
                            initialDelay = delays[0];
                        }
                        if (delays[1] >= 0) {
                            removalDelay = delays[1];
                        }
                    }
                    default -> { }
                }
            }
            HRDParameters hrd = hrd(sps);
            if (n == 0) {
                rate = (hrd.bitRateValueMinus1[0] + 1L) << (6 + hrd.bitRateScale);
                cpb = (hrd.cpbSizeValueMinus1[0] + 1L) << (4 + hrd.cpbSizeScale);
                timeScale = sps.vuiParams.timeScale;
                unitsInTick = sps.vuiParams.numUnitsInTick;
            }
            if (removalDelay == null) {
                violations.add("access unit " + index + " has no picture timing SEI");
                break;
            }
            boolean idr = au.keyframe();
            if (idr != (initialDelay != null)) {
                violations.add("access unit " + index + (idr ? " is an IDR without" : " is not an IDR but has")
                        + " a buffering period SEI");
            }
            long arrivalStart = arrivedEnd; // cbr_flag 1: t_ai(n) = t_af(n - 1)
            arrivedEnd = Math.addExact(arrivedEnd, bits * 90_000L * timeScale);
            long removal;
            if (n == 0) {
                removal = initialDelay * timeScale * rate;
                if (initialDelay * rate > 90_000L * cpb) {
                    violations.add("initial_cpb_removal_delay " + initialDelay + " exceeds 90000 x " + cpb + " / " + rate);
                }
            } else {
                removalTicks = removalDelay;
                removal = removalBase + removalTicks * unitsInTick * 90_000L * rate;
                if (initialDelay != null) {
                    // C.3.2 with cbr_flag 1: Floor(dt) <= initial_cpb_removal_delay <= Ceil(dt), dt in 90 kHz
                    // ticks from the previous access unit's final arrival to this one's removal.
                    long span = removal - arrivalStart;
                    long unit = timeScale * rate;
                    long floor = Math.floorDiv(span, unit);
                    long ceil = -Math.floorDiv(-span, unit);
                    if (initialDelay < floor || initialDelay > ceil) {
                        violations.add("access unit " + index + ": initial_cpb_removal_delay " + initialDelay
                                + ", the buffer held " + floor + ".." + ceil + " ticks");
                    }
                }
            }
            if (initialDelay != null) {
                removalBase = removal;
                periods++;
            }
            if (arrivedEnd > removal) {
                violations.add("access unit " + index + " underflows: " + bits + " bits, not all arrived by its removal");
            }
            // Bits in the buffer just before the removal: all that arrived by then, less those removed.
            long arrived = Math.min(totalBits, removal / (90_000L * timeScale));
            long held = arrived - removed;
            // The margin: bits that arrived after this access unit's last, by its removal.
            lowest = Math.min(lowest, (removal - arrivedEnd) / (90_000L * timeScale));
            highest = Math.max(highest, held);
            if (held > cpb) {
                violations.add("access unit " + index + ": the buffer overflows to " + held + " bits of " + cpb);
            }
            removed += bits;
            n++;
            index++;
        }
        HRDParameters hrd = hrd(sps);
        return new Result(rate, cpb, hrd != null && hrd.cbrFlag[0], n, periods, filler, lowest, highest, violations);
    }

    private static HRDParameters hrd(SeqParameterSet sps) {
        if (sps == null || sps.vuiParams == null || sps.vuiParams.nalHRDParams == null) {
            throw new AssertionError("no SPS with NAL HRD parameters before the access unit");
        }
        return sps.vuiParams.nalHRDParams;
    }

    /**
     * The SEI messages of an RBSP: {initial_cpb_removal_delay, cpb_removal_delay}, -1 for a message
     * that is not there.
     */
    private static long[] sei(byte[] rbsp, HRDParameters hrd) {
        long[] out = {-1, -1};
        int at = 0;
        while (at < rbsp.length && (rbsp[at] & 0xff) != 0x80) {
            int type = 0;
            while ((rbsp[at] & 0xff) == 0xff) {
                type += 255;
                at++;
            }
            type += rbsp[at++] & 0xff;
            int size = 0;
            while ((rbsp[at] & 0xff) == 0xff) {
                size += 255;
                at++;
            }
            size += rbsp[at++] & 0xff;
            BitReader r = BitReader.createBitReader(ByteBuffer.wrap(rbsp, at, size).slice());
            if (type == 0) {
                readUe(r); // seq_parameter_set_id
                out[0] = read(r, hrd.initialCpbRemovalDelayLengthMinus1 + 1);
            } else if (type == 1) {
                out[1] = read(r, hrd.cpbRemovalDelayLengthMinus1 + 1);
            }
            at += size;
        }
        return out;
    }

    private static long read(BitReader r, int bits) {
        long v = 0;
        for (int i = 0; i < bits; i++) {
            v = (v << 1) | r.read1Bit();
        }
        return v;
    }

    private static int readUe(BitReader r) {
        int zeros = 0;
        while (r.read1Bit() == 0) {
            zeros++;
        }
        return (int) ((1L << zeros) - 1 + read(r, zeros));
    }

    private static byte[] rbsp(Pack p) {
        byte[] nal = p.toByteArray();
        return AnnexB.unescape(nal, 1, nal.length);
    }
}
