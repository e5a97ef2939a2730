package io.vencflow.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.wire.MalformedRecordException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameRecordsTest {

    private static Frame frame(PixelFormat format) {
        return new SyntheticScene("cam-1", 176, 144, format).render(42, 1_700_000_000_123_456L);
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void everyPixelFormatRoundTripsWithItsPixelsByteForByte(PixelFormat format) throws Exception {
        Frame f = frame(format);
        Frame back = FrameRecords.decode(FrameRecords.encode(f));
        assertEquals(f.toString(), back.toString());
        assertEquals(f.pixels(), back.pixels());
    }

    @Test
    void keyAndHeadersAreUtf8TextAsTheContractSays() {
        WireRecord r = FrameRecords.encode(frame(PixelFormat.NV12));
        assertEquals("cam-1", new String(r.key(), StandardCharsets.UTF_8));
        assertEquals(List.of("vf-seq", "vf-pts-us", "vf-width", "vf-height", "vf-format"), List.copyOf(r.headers().keySet()));
        assertEquals("42", text(r, "vf-seq"));
        assertEquals("1700000000123456", text(r, "vf-pts-us"));
        assertEquals("176", text(r, "vf-width"));
        assertEquals("144", text(r, "vf-height"));
        assertEquals("nv12", text(r, "vf-format"));
        assertEquals(176 * 144 * 3 / 2, r.value().length);
    }

    @Test
    void aRecordWrittenByAnotherLanguageDecodes() throws Exception {
        byte[] pixels = new byte[4 * 2 * 2];
        pixels[5] = 7;
        WireRecord r = record("esp32.cam", pixels, Map.of("vf-seq", "0", "vf-pts-us", "-5", "vf-width", "4",
                "vf-height", "2", "vf-format", "rgb565"));
        Frame f = FrameRecords.decode(r);
        assertEquals("Frame[esp32.cam #0 pts=-5us 4x2 RGB565]", f.toString());
        assertEquals(7, f.pixel(5));
    }

    @Test
    void aMissingKeyIsNamed() {
        WireRecord r = FrameRecords.encode(frame(PixelFormat.I420));
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(new WireRecord(null, r.value(), r.headers())));
        assertEquals(Problem.MISSING_KEY, e.problem());
        e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(new WireRecord(new byte[0], r.value(), r.headers())));
        assertEquals(Problem.MISSING_KEY, e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/b", "../etc", "cam 1", "caméra"})
    void aKeyThatIsNoChannelIdIsRefusedNamingIt(String key) {
        WireRecord r = FrameRecords.encode(frame(PixelFormat.I420));
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(new WireRecord(key.getBytes(StandardCharsets.UTF_8), r.value(), r.headers())));
        assertEquals(Problem.INVALID_CHANNEL, e.problem());
        assertEquals(true, e.getMessage().startsWith("record key: channel id '"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vf-seq", "vf-pts-us", "vf-width", "vf-height", "vf-format"})
    void eachMissingHeaderIsNamed(String header) {
        WireRecord r = FrameRecords.encode(frame(PixelFormat.I420));
        Map<String, byte[]> h = new LinkedHashMap<>(r.headers());
        h.remove(header);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(new WireRecord(r.key(), r.value(), h)));
        assertEquals(Problem.MISSING_HEADER, e.problem());
        assertEquals("record has no " + header + " header", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 176", "+176", "0x10", "17.6", "176 ", "99999999999999999999", "-"})
    void aHeaderThatIsNotDecimalTextIsRefused(String width) {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(withHeader(FrameRecords.encode(frame(PixelFormat.I420)), "vf-width", width)));
        assertEquals(Problem.INVALID_HEADER, e.problem());
        assertEquals(true, e.getMessage().startsWith("header vf-width is"), e.getMessage());
    }

    @Test
    void numbersOutOfRangeAreRefusedWithTheRange() {
        WireRecord good = FrameRecords.encode(frame(PixelFormat.I420));
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(withHeader(good, "vf-seq", "-1")));
        assertEquals("header vf-seq is -1; expected 0..9223372036854775807", e.getMessage());
        e = assertThrows(MalformedRecordException.class, () -> FrameRecords.decode(withHeader(good, "vf-height", "16385")));
        assertEquals("header vf-height is 16385; expected 1..16384", e.getMessage());
        e = assertThrows(MalformedRecordException.class, () -> FrameRecords.decode(withHeader(good, "vf-width", "0")));
        assertEquals(Problem.INVALID_HEADER, e.problem());
    }

    @Test
    void anUnknownFormatIsRefusedListingTheKnownOnes() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(withHeader(FrameRecords.encode(frame(PixelFormat.I420)), "vf-format", "yuv420p")));
        assertEquals(Problem.UNKNOWN_FORMAT, e.problem());
        assertEquals("header vf-format is 'yuv420p'; expected one of i420, nv12, nv21, rgb565, rgb888, bgr888, gray8",
                e.getMessage());
    }

    @Test
    void aValueWhoseSizeDoesNotMatchWidthHeightAndFormatIsRefused() {
        WireRecord r = FrameRecords.encode(frame(PixelFormat.I420));
        byte[] shorter = java.util.Arrays.copyOf(r.value(), r.value().length - 1);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(new WireRecord(r.key(), shorter, r.headers())));
        assertEquals(Problem.SIZE_MISMATCH, e.problem());
        assertEquals("frame record #42 of channel cam-1 has 38015 pixel bytes; a 176x144 i420 frame has 38016",
                e.getMessage());
        // The same bytes claimed as RGB565 are too few as well.
        e = assertThrows(MalformedRecordException.class, () -> FrameRecords.decode(withHeader(r, "vf-format", "rgb565")));
        assertEquals(Problem.SIZE_MISMATCH, e.problem());
    }

    @Test
    void oddDimensionsForA420FormatAreRefused() {
        WireRecord r = withHeader(FrameRecords.encode(frame(PixelFormat.I420)), "vf-width", "175");
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> FrameRecords.decode(r));
        assertEquals(Problem.INVALID_DIMENSIONS, e.problem());
        assertEquals("frame record #42 of channel cam-1: width 175 is odd; I420 (4:2:0) needs even dimensions",
                e.getMessage());
    }

    @Test
    void aMissingValueIsNamed() {
        WireRecord r = FrameRecords.encode(frame(PixelFormat.GRAY8));
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> FrameRecords.decode(new WireRecord(r.key(), null, r.headers())));
        assertEquals(Problem.MISSING_VALUE, e.problem());
    }

    @Test
    void problemIdsAreTheLowerCaseNames() {
        assertEquals("size_mismatch", Problem.SIZE_MISMATCH.id());
        assertArrayEquals(new String[] {"missing_key", "invalid_channel", "missing_header", "invalid_header",
            "unknown_format", "unknown_codec", "invalid_dimensions", "size_mismatch", "missing_value",
            "invalid_access_unit"}, java.util.Arrays.stream(Problem.values()).map(Problem::id).toArray());
    }

    static String text(WireRecord r, String header) {
        return new String(r.header(header), StandardCharsets.UTF_8);
    }

    static WireRecord withHeader(WireRecord r, String name, String value) {
        Map<String, byte[]> h = new LinkedHashMap<>(r.headers());
        h.put(name, value.getBytes(StandardCharsets.UTF_8));
        return new WireRecord(r.key(), r.value(), h);
    }

    private static WireRecord record(String key, byte[] value, Map<String, String> headers) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return new WireRecord(key.getBytes(StandardCharsets.UTF_8), value, h);
    }
}
