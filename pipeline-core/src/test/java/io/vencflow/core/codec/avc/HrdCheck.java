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
 * units' sizes (start codes included). Bits arrive at the declared rate: without a pause with
 * cbr_flag 1 (t_ai(n) = t_af(n-1)), else no earlier than the buffering period's initial delay plus
 * offset before their removal; access unit n leaves at t_r(n) = t_r(n_b) + t_c * cpb_removal_delay(n),
 * the first at initial_cpb_removal_delay / 90 kHz. Checks that no access unit underflows, that the
 * buffer never holds more than its size, and the initial delays against C.3.2. Exact: times in
 * units of 1 / (90000 x time_scale x rate) s. Independent of the encoder's own buffer model.
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
        return run(accessUnits, StartCodes.LONG);
    }

    /** How long each NAL unit's start code is in the byte stream the HRD counts. */
    enum StartCodes {
        /** 4 bytes each, as vencflow writes Annex B. */
        LONG,
        /** 4 bytes for an access unit's first NAL unit and for parameter sets, 3 for the rest: libx264's. */
        X264;

        int bytes(int nalInAccessUnit, int nalType) {
            return this == LONG || nalInAccessUnit == 0 || nalType == ParameterSets.NAL_SPS
                    || nalType == ParameterSets.NAL_PPS ? 4 : 3;
        }
    }

    static Result run(List<EncodedFrame> accessUnits, StartCodes startCodes) {
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
            Result r = runOne(run, offset, startCodes);
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
    private static Result runOne(List<EncodedFrame> accessUnits, int first, StartCodes startCodes) {
        List<String> violations = new java.util.ArrayList<>();
        int count = accessUnits.size();
        long[] bits = new long[count];
        long[] arrival = new long[count]; // t_ai
        long[] arrivalEnd = new long[count]; // t_af
        long[] removal = new long[count]; // t_r,n
        SeqParameterSet sps = null;
        HRDParameters hrd = null;
        long rate = 0;
        long cpb = 0;
        long timeScale = 0;
        long unitsInTick = 0;
        boolean cbr = false;
        long periodRemoval = 0; // t_r(n_b)
        long window = 0; // initial_cpb_removal_delay + offset of the current buffering period, in 90 kHz ticks
        long filler = 0;
        int periods = 0;
        long lowest = Long.MAX_VALUE;
        for (int n = 0; n < count; n++) {
            EncodedFrame au = accessUnits.get(n);
            int index = first + n;
            for (int k = 0; k < au.packs().size(); k++) {
                Pack p = au.packs().get(k);
                bits[n] += 8L * (startCodes.bytes(k, p.nalType()) + p.size());
            }
            long[] timing = null;
            long[] period = null;
            for (Pack p : au.packs()) {
                switch (p.nalType()) {
                    case ParameterSets.NAL_SPS -> sps = SeqParameterSet.read(ByteBuffer.wrap(rbsp(p)));
                    case ParameterSets.NAL_FILLER -> filler += p.size();
                    case ParameterSets.NAL_SEI -> {
                        long[][] messages = sei(rbsp(p), hrd(sps));
                        period = messages[0] != null ? messages[0] : period;
                        timing = messages[1] != null ? messages[1] : timing;
                    }
                    default -> { }
                }
            }
            if (n == 0) {
                hrd = hrd(sps);
                rate = (hrd.bitRateValueMinus1[0] + 1L) << (6 + hrd.bitRateScale);
                cpb = (hrd.cpbSizeValueMinus1[0] + 1L) << (4 + hrd.cpbSizeScale);
                cbr = hrd.cbrFlag[0];
                timeScale = sps.vuiParams.timeScale;
                unitsInTick = sps.vuiParams.numUnitsInTick;
            }
            if (timing == null) {
                violations.add("access unit " + index + " has no picture timing SEI");
                return new Result(rate, cpb, cbr, n, periods, filler, 0, 0, violations);
            }
            if (au.keyframe() != (period != null)) {
                violations.add("access unit " + index + (au.keyframe() ? " is an IDR without" : " is not an IDR but has")
                        + " a buffering period SEI");
            }
            if (n == 0 && period == null) {
                return new Result(rate, cpb, cbr, n, periods, filler, 0, 0, violations); // no HRD to start
            }
            // Time in units of 1 / (90000 x time_scale x rate) s: a 90 kHz tick is time_scale x rate of
            // them, a clock tick 90000 x num_units_in_tick x rate, a bit's arrival 90000 x time_scale.
            long tick = timeScale * rate;
            long bitTime = 90_000L * timeScale;
            long previousEnd = n == 0 ? 0 : arrivalEnd[n - 1];
            if (n == 0) {
                removal[n] = period[0] * tick;
                if (period[0] * rate > 90_000L * cpb) {
                    violations.add("initial_cpb_removal_delay " + period[0] + " exceeds 90000 x " + cpb + " / " + rate);
                }
            } else {
                removal[n] = periodRemoval + timing[0] * unitsInTick * 90_000L * rate;
            }
            long earliest;
            if (period != null && n > 0) {
                // C.3.2: the delay against the 90 kHz ticks from the last access unit's final arrival to
                // this removal: within their floor and ceiling with cbr_flag 1, at most their ceiling
                // without.
                long span = removal[n] - previousEnd;
                long floor = Math.floorDiv(span, tick);
                long ceil = -Math.floorDiv(-span, tick);
                if (period[0] > ceil || cbr && period[0] < floor) {
                    violations.add("access unit " + index + ": initial_cpb_removal_delay " + period[0]
                            + ", the buffer held " + floor + ".." + ceil + " ticks");
                }
                earliest = removal[n] - period[0] * tick;
            } else {
                earliest = removal[n] - window * tick;
            }
            if (period != null) {
                periodRemoval = removal[n];
                window = period[0] + period[1];
                periods++;
            }
            // C.1.2: with cbr_flag 1 the bits arrive without a pause; without, no earlier than the window.
            arrival[n] = n == 0 ? 0 : cbr ? previousEnd : Math.max(previousEnd, earliest);
            arrivalEnd[n] = arrival[n] + bits[n] * bitTime;
            lowest = Math.min(lowest, (removal[n] - arrivalEnd[n]) / bitTime);
            if (arrivalEnd[n] > removal[n]) {
                violations.add("access unit " + index + " underflows: " + bits[n] + " bits, not all arrived by its"
                        + " removal");
            }
        }
        // The buffer just before each removal: the bits of this and later access units arrived by then.
        long highest = 0;
        long bitTime = 90_000L * timeScale;
        for (int n = 0; n < count; n++) {
            long held = 0;
            for (int m = n; m < count && arrival[m] < removal[n]; m++) {
                held += Math.min(bits[m], -Math.floorDiv(arrival[m] - removal[n], bitTime));
            }
            highest = Math.max(highest, held);
            if (held > cpb) {
                violations.add("access unit " + (first + n) + ": the buffer overflows to " + held + " bits of " + cpb);
            }
        }
        return new Result(rate, cpb, cbr, count, periods, filler, lowest, highest, violations);
    }

    private static HRDParameters hrd(SeqParameterSet sps) {
        if (sps == null || sps.vuiParams == null || sps.vuiParams.nalHRDParams == null) {
            throw new AssertionError("no SPS with NAL HRD parameters before the access unit");
        }
        return sps.vuiParams.nalHRDParams;
    }

    /**
     * The SEI messages of an RBSP: {buffering period {initial_cpb_removal_delay, its offset}, picture
     * timing {cpb_removal_delay}}, null for a message that is not there.
     */
    private static long[][] sei(byte[] rbsp, HRDParameters hrd) {
        long[][] out = new long[2][];
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
                int length = hrd.initialCpbRemovalDelayLengthMinus1 + 1;
                out[0] = new long[] {read(r, length), read(r, length)};
            } else if (type == 1) {
                out[1] = new long[] {read(r, hrd.cpbRemovalDelayLengthMinus1 + 1)};
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
