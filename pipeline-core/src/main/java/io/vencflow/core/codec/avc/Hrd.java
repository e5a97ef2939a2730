package io.vencflow.core.codec.avc;

/**
 * The coded picture buffer of a CBR stream's NAL HRD (H.264 Annex C) as its SPS declares it: bits
 * arrive at the declared rate without a pause, and each access unit, start codes included, leaves it
 * at its removal time, one frame interval after the one before. Kept in exact integers (bits x
 * 90 kHz x fps), so that the delays the encoder signals are the HRD's own:
 *
 * <ul>
 *   <li>it never underflows: a picture must have arrived by its removal ({@link #wouldUnderflow});
 *   <li>it never overflows, which a CBR buffer must not (cbr_flag 1): an access unit that leaves too
 *       few bits behind gets filler data ({@link #fillerBits});
 *   <li>each buffering period signals its initial removal delay as the buffer holds it
 *       ({@link #initialCpbRemovalDelay}, within the floor and ceiling C.3.2 allows).
 * </ul>
 *
 * Starts 90% full. Not thread-safe; one per encoder.
 */
final class Hrd {
    /** The clock of initial_cpb_removal_delay. */
    static final long CLOCK = 90_000;

    private final long rateBps;
    private final long cpbBits;
    private final long fps;
    /** Bits in the buffer just before the next access unit's removal, times CLOCK x fps. */
    private long fullness;

    /** @param rateBps the declared bit rate; @param cpbBits the declared buffer size */
    Hrd(long rateBps, long cpbBits, int fps) {
        if (rateBps <= 0 || cpbBits < rateBps / fps) {
            throw new IllegalArgumentException("a CPB of " + cpbBits + " bits at " + rateBps + " bit/s and " + fps
                    + " fps; expected a positive rate and a buffer of one frame interval's bits or more");
        }
        this.rateBps = rateBps;
        this.cpbBits = cpbBits;
        this.fps = fps;
        // The first removal waits for 90% of the buffer, to the 90 kHz tick the stream signals.
        long delay = cpbBits * 9 / 10 * CLOCK / rateBps;
        this.fullness = delay * rateBps * fps;
    }

    long rateBps() {
        return rateBps;
    }

    long cpbBits() {
        return cpbBits;
    }

    /** Bits in the buffer just before the next access unit is removed. */
    double fullnessBits() {
        return fullness / (double) (CLOCK * fps);
    }

    /**
     * initial_cpb_removal_delay of a buffering period that starts with the next access unit: how long,
     * at 90 kHz, its first bit waits in the buffer; rounded down.
     */
    long initialCpbRemovalDelay() {
        return Math.max(1, fullness / (rateBps * fps));
    }

    /** Whether an access unit of {@code bits} would not have arrived whole by its removal. */
    boolean wouldUnderflow(long bits) {
        return bits * CLOCK * fps > fullness;
    }

    /**
     * Bits of filler the next access unit of {@code bits} needs, 0 if none: the bits that would
     * otherwise overflow the buffer before the removal after it.
     */
    long fillerBits(long bits) {
        long excess = fullness - bits * CLOCK * fps + rateBps * CLOCK - cpbBits * CLOCK * fps;
        long unit = CLOCK * fps;
        return excess <= 0 ? 0 : (excess + unit - 1) / unit;
    }

    /** Removes an access unit of {@code bits} (filler included) and lets one frame interval's bits in. */
    void removed(long bits) {
        fullness += rateBps * CLOCK - bits * CLOCK * fps;
    }
}
