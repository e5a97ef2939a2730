package io.vencflow.core.codec.avc;

/**
 * The coded picture buffer of a stream's NAL HRD (H.264 Annex C, clause C.1.2) as its SPS declares
 * it, which the encoder keeps: each access unit, start codes included, arrives at the declared rate
 * and leaves at its removal time, one frame interval after the one before. Kept in exact integers
 * (time in units of 1 / (90 kHz x fps x rate) s), so that the delays the encoder signals are the
 * HRD's own.
 *
 * <ul>
 *   <li>{@code constantRate} (cbr_flag 1): the bits arrive without a pause, so an access unit that
 *       leaves too few behind would overflow the buffer; it gets filler data ({@link #fillerBits}).
 *   <li>Otherwise (cbr_flag 0): an access unit's bits arrive no earlier than the buffering period's
 *       initial delay plus its offset before its removal, so the buffer never holds more than that
 *       window's bits, and a cheap picture costs only its own bits.
 * </ul>
 *
 * Either way a picture must arrive whole by its removal ({@link #wouldUnderflow}), and each
 * buffering period signals its initial removal delay as the buffer holds it
 * ({@link #initialCpbRemovalDelay}, within what C.3.2 allows). The first removal waits for 90% of
 * the buffer. Not thread-safe; one per encoder.
 */
final class Hrd {
    /** The clock of initial_cpb_removal_delay. */
    static final long CLOCK = 90_000;

    private final long rateBps;
    private final long cpbBits;
    private final long fps;
    private final boolean constantRate;
    /** Time units of one 90 kHz tick, and of one bit's arrival. */
    private final long tick;
    private final long bitTime;
    /** The window, in ticks, an access unit may arrive ahead of its removal (cbr_flag 0); the first delay. */
    private final long window;
    /** The next access unit's removal time, and the last one's final arrival. */
    private long removal;
    private long arrived;
    /** The initial delay of the current buffering period; whether the next access unit starts one. */
    private long periodDelay;
    private boolean startsPeriod;
    private boolean first = true;

    /** @param rateBps the declared bit rate; @param cpbBits the declared buffer size */
    Hrd(long rateBps, long cpbBits, int fps, boolean constantRate) {
        if (rateBps <= 0 || cpbBits < rateBps / fps) {
            throw new IllegalArgumentException("a CPB of " + cpbBits + " bits at " + rateBps + " bit/s and " + fps
                    + " fps; expected a positive rate and a buffer of one frame interval's bits or more");
        }
        this.rateBps = rateBps;
        this.cpbBits = cpbBits;
        this.fps = fps;
        this.constantRate = constantRate;
        this.tick = fps * rateBps;
        this.bitTime = CLOCK * fps;
        this.window = Math.max(1, cpbBits * 9 / 10 * CLOCK / rateBps);
        this.removal = window * tick;
        this.periodDelay = window;
    }

    long cpbBits() {
        return cpbBits;
    }

    /** Declares that the next access unit starts a buffering period (an IDR). */
    void startPeriod() {
        startsPeriod = true;
        if (!first) {
            // C.3.2: at most the 90 kHz ticks from the last access unit's final arrival to this removal
            // (and, with cbr_flag 1, at least the whole ticks of it); never beyond the window.
            long ticks = (removal - arrived) / tick;
            periodDelay = Math.max(1, constantRate ? ticks : Math.min(window, ticks));
        }
    }

    /** initial_cpb_removal_delay of the buffering period the next access unit starts. */
    long initialCpbRemovalDelay() {
        return periodDelay;
    }

    /** initial_cpb_removal_delay_offset: keeps delay plus offset at the window (cbr_flag 0), else 0. */
    long initialCpbRemovalDelayOffset() {
        return constantRate ? 0 : window - periodDelay;
    }

    /** When the next access unit's first bit arrives. */
    private long nextArrival() {
        if (first) {
            return 0;
        }
        if (constantRate) {
            return arrived;
        }
        long earliest = removal - (startsPeriod ? periodDelay : window) * tick;
        return Math.max(arrived, earliest);
    }

    /** Bits that can arrive for the next access unit by its removal: what it may spend. */
    double fullnessBits() {
        return (removal - nextArrival()) / (double) bitTime;
    }

    /** Whether an access unit of {@code bits} would not have arrived whole by its removal. */
    boolean wouldUnderflow(long bits) {
        return nextArrival() + bits * bitTime > removal;
    }

    /**
     * Bits of filler the next access unit of {@code bits} needs, 0 if none: with cbr_flag 1, those
     * that would otherwise overflow the buffer before the removal after it.
     */
    long fillerBits(long bits) {
        if (!constantRate) {
            return 0;
        }
        // Held just before the next removal: all bits arrived by then, less those removed.
        long end = nextArrival() + bits * bitTime;
        long held = -Math.floorDiv(end - removal - CLOCK * rateBps, bitTime); // rounded up
        long excess = held - cpbBits;
        return Math.max(0, excess);
    }

    /** The next access unit, of {@code bits} (filler included), arrives and is removed. */
    void removed(long bits) {
        arrived = nextArrival() + bits * bitTime;
        removal += CLOCK * rateBps;
        startsPeriod = false;
        first = false;
    }
}
