package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RtcpSenderReportTest {

    @Test
    void aSenderReportCarriesSsrcNtpAndRtpTimeAndCountsFollowedByAnSdesCname() {
        long ntp = RtpClock.ntpTimestamp(1_700_000_000_500_000L);
        ByteBuf b = RtcpSenderReport.write(new UnpooledByteBufAllocator(false), 0x11223344, ntp, 0xdeadbeef, 1234,
                567_890, "vencflow");
        try {
            // SR: V=2 P=0 RC=0, PT=200, length 6 (28 bytes)
            assertEquals(0x80, b.getUnsignedByte(0));
            assertEquals(200, b.getUnsignedByte(1));
            assertEquals(6, b.getUnsignedShort(2));
            assertEquals(0x11223344, b.getInt(4));
            assertEquals(ntp, b.getLong(8));
            assertEquals(1_700_000_000L + 2_208_988_800L, b.getUnsignedInt(8));
            assertEquals(0x8000_0000L, b.getUnsignedInt(12), "half a second");
            assertEquals(0xdeadbeef, b.getInt(16));
            assertEquals(1234, b.getInt(20));
            assertEquals(567_890, b.getInt(24));
            // SDES: V=2 P=0 SC=1, PT=202; chunk = SSRC, CNAME(1) len 8 "vencflow", END, padding to 4 bytes
            assertEquals(0x81, b.getUnsignedByte(28));
            assertEquals(202, b.getUnsignedByte(29));
            int words = b.getUnsignedShort(30);
            assertEquals(b.readableBytes(), 28 + 4 * (words + 1), "the length field covers the whole SDES packet");
            assertEquals(0x11223344, b.getInt(32));
            assertEquals(1, b.getUnsignedByte(36));
            assertEquals(8, b.getUnsignedByte(37));
            assertEquals("vencflow", b.toString(38, 8, StandardCharsets.US_ASCII));
            for (int i = 46; i < b.readableBytes(); i++) {
                assertEquals(0, b.getByte(i), "END item and padding are zero");
            }
            assertEquals(0, b.readableBytes() % 4);
        } finally {
            b.release();
        }
    }
}
