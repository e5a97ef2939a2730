package io.vencflow.connectors.rtsp.internal;

import java.time.Instant;

/**
 * The clocks of RTP and RTCP: the 90 kHz media clock of video (RFC 6184 / RFC 7798) derived from a
 * frame's capture time in microseconds since the Unix epoch, and NTP timestamps for sender reports.
 * Because both come from the same wall clock, a sender report maps RTP time to capture time exactly.
 */
public final class RtpClock {
    /** The RTP clock rate of H.264 and H.265 video. */
    public static final int VIDEO_CLOCK_RATE = 90_000;
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private RtpClock() {
    }

    /**
     * The 32-bit RTP timestamp of a capture time: 90 ticks per millisecond (rounded to the nearest
     * tick) plus the session's random offset, wrapping modulo 2^32. It is never reset: the same capture time always gives the same
     * timestamp within a session, whatever happened in between.
     */
    public static int rtpTimestamp(long ptsMicros, int offset) {
        return (int) (Math.floorDiv(ptsMicros * 9 + 50, 100) + offset);
    }

    /** The 64-bit NTP timestamp (32.32 fixed point seconds since 1900) of a Unix time in microseconds. */
    public static long ntpTimestamp(long unixMicros) {
        long seconds = Math.floorDiv(unixMicros, 1_000_000L);
        long micros = Math.floorMod(unixMicros, 1_000_000L);
        long fraction = (micros << 32) / 1_000_000L;
        return ((seconds + NTP_UNIX_OFFSET_SECONDS) << 32) | fraction;
    }

    /** Wall-clock time in microseconds since the Unix epoch (microsecond resolution where the OS has it). */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
