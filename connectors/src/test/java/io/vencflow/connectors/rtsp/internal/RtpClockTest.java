package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RtpClockTest {

    @Test
    void rtpTimestampsTick90TimesPerMillisecondFromTheOffset() {
        assertEquals(77, RtpClock.rtpTimestamp(0, 77));
        assertEquals(90_077, RtpClock.rtpTimestamp(1_000_000, 77));
        assertEquals(3_000, RtpClock.rtpTimestamp(33_333, 0), "rounded to the nearest tick");
        assertEquals(3_000, RtpClock.rtpTimestamp(66_667, 0) - RtpClock.rtpTimestamp(33_333, 0));
    }

    @Test
    void rtpTimestampsWrapModulo2To32AndKeepTheirDifferencesAcrossTheWrap() {
        assertEquals(0xffff_ffff, RtpClock.rtpTimestamp(0, -1));
        assertEquals(89_999, RtpClock.rtpTimestamp(1_000_000, -1), "wrapped past 2^32");
        assertEquals(90_000, RtpClock.rtpTimestamp(1_000_000, -1) - RtpClock.rtpTimestamp(0, -1));
        long pts = 1_760_000_000_000_000L; // a capture time in 2025: far beyond 2^32 ticks
        assertEquals(90_000, RtpClock.rtpTimestamp(pts + 1_000_000, 12345) - RtpClock.rtpTimestamp(pts, 12345));
    }

    @Test
    void ntpTimestampsCountSecondsFrom1900WithA32BitFraction() {
        assertEquals(2_208_988_800L << 32, RtpClock.ntpTimestamp(0));
        assertEquals((2_208_988_801L << 32) | 0x8000_0000L, RtpClock.ntpTimestamp(1_500_000));
        long ntp = RtpClock.ntpTimestamp(1_700_000_000_250_000L);
        assertEquals(1_700_000_000L + 2_208_988_800L, ntp >>> 32);
        assertEquals(0x4000_0000L, ntp & 0xffff_ffffL);
    }

    @Test
    void theWallClockHasMicrosecondsSinceTheEpoch() {
        long micros = RtpClock.nowMicros();
        long millis = System.currentTimeMillis();
        assertTrue(Math.abs(micros / 1000 - millis) < 1000, micros + " vs " + millis);
    }
}
