package io.vencflow.core.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vencflow.core.codec.Codec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnnexBTest {

    @Test
    void findsUnitsBehindThreeAndFourByteStartCodesAndDropsTrailingZeros() {
        byte[] stream = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 5, 0, 0};
        List<byte[]> units = AnnexB.split(stream);
        assertEquals(3, units.size());
        assertArrayEquals(new byte[] {0x67, 1, 2}, units.get(0));
        assertArrayEquals(new byte[] {0x68, 3}, units.get(1));
        assertArrayEquals(new byte[] {0x65, 4, 5}, units.get(2));
    }

    @Test
    void ignoresBytesBeforeTheFirstStartCode() {
        byte[] stream = {9, 9, 0, 0, 1, 0x09, (byte) 0xf0};
        List<byte[]> units = AnnexB.split(stream);
        assertEquals(1, units.size());
        assertArrayEquals(new byte[] {0x09, (byte) 0xf0}, units.get(0));
    }

    @Test
    void escapeAndUnescapeAreInverseAndNoStartCodeSurvivesEscaping() {
        Random r = new Random(7);
        for (int n = 0; n < 200; n++) {
            byte[] rbsp = new byte[1 + r.nextInt(64)];
            for (int i = 0; i < rbsp.length; i++) {
                rbsp[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(4) : 0);
            }
            byte[] escaped = AnnexB.escape(rbsp, 0, rbsp.length);
            for (int i = 0; i + 2 < escaped.length; i++) {
                boolean startCodeLike = escaped[i] == 0 && escaped[i + 1] == 0 && (escaped[i + 2] & 0xff) <= 2;
                assertEquals(false, startCodeLike, "00 00 0x at " + i);
            }
            assertArrayEquals(rbsp, AnnexB.unescape(escaped, 0, escaped.length));
            byte[] nal = AnnexB.nalUnit(0x65, rbsp, 0, rbsp.length);
            assertEquals(escaped.length + 1, nal.length);
            assertEquals(0x65, nal[0]);
            assertArrayEquals(escaped, Arrays.copyOfRange(nal, 1, nal.length));
            int from = r.nextInt(rbsp.length);
            byte[] tail = AnnexB.nalUnit(0x41, rbsp, from, rbsp.length);
            assertArrayEquals(AnnexB.escape(Arrays.copyOfRange(rbsp, from, rbsp.length), 0, rbsp.length - from),
                    Arrays.copyOfRange(tail, 1, tail.length), "from " + from);
        }
        assertArrayEquals(new byte[] {0, 0, 3, 1}, AnnexB.escape(new byte[] {0, 0, 1}, 0, 3));
    }

    @Test
    void nalHeadersGiveTheirTypes() {
        assertEquals(7, NalUnit.type(Codec.H264, (byte) 0x67));
        assertEquals(5, NalUnit.type(Codec.H264, (byte) 0x65));
        assertEquals(32, NalUnit.type(Codec.H265, (byte) 0x40));
        assertEquals(19, NalUnit.type(Codec.H265, (byte) 0x26));
    }

    @Test
    void h264LevelsFollowTableA1() {
        assertEquals(30, H264Level.select(640, 480, 30, 2_000_000, false, 1).levelIdc()); // 1200 MB, 36000 MB/s
        assertEquals(31, H264Level.select(1280, 720, 30, 4_000_000, false, 1).levelIdc()); // 3600 MB, 108000 MB/s
        assertEquals(32, H264Level.select(1280, 720, 60, 4_000_000, false, 1).levelIdc());
        assertEquals(40, H264Level.select(1920, 1080, 30, 8_000_000, false, 1).levelIdc()); // 8160 MB
        assertEquals(41, H264Level.select(1920, 1080, 30, 30_000_000, false, 1).levelIdc()); // bitrate > 20 Mb/s
        assertEquals(10, H264Level.select(176, 144, 15, 64_000, false, 1).levelIdc()); // 99 MB, 1485 MB/s
        assertEquals(11, H264Level.select(176, 144, 30, 64_000, false, 1).levelIdc()); // 2970 MB/s
    }

    @Test
    void h264LevelsBoundVerticalVectorsByTableA1() {
        // MaxVmvR: [-64, 63.75] at level 1, [-128, 127.75] to level 2, [-256, 255.75] to 3, [-512, 511.75] above.
        assertEquals(64, H264Level.L1.maxVerticalMv());
        for (H264Level l : new H264Level[] {H264Level.L1_1, H264Level.L1_2, H264Level.L1_3, H264Level.L2}) {
            assertEquals(128, l.maxVerticalMv(), l.name());
        }
        for (H264Level l : new H264Level[] {H264Level.L2_1, H264Level.L2_2, H264Level.L3}) {
            assertEquals(256, l.maxVerticalMv(), l.name());
        }
        for (H264Level l : H264Level.values()) {
            if (l.levelIdc() > 30) {
                assertEquals(512, l.maxVerticalMv(), l.name());
            }
        }
        assertEquals(2048, H264Level.MAX_HORIZONTAL_MV);
    }
}
