package io.vencflow.core.wire;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.wire.MalformedRecordException.Problem;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Frame records of the wire format: key = channel id (UTF-8), value = the pixel bytes (tightly packed
 * planes of {@code vf-format}), headers {@code vf-seq}, {@code vf-pts-us}, {@code vf-width},
 * {@code vf-height}, {@code vf-format} (see {@link WireHeaders}). Stateless and thread-safe.
 */
public final class FrameRecords {
    private FrameRecords() {
    }

    /** The record of {@code frame}; the value is a fresh copy of its pixels (the one copy on the way out). */
    public static WireRecord encode(Frame frame) {
        byte[] value = new byte[frame.size()];
        frame.copyPixels(0, value, 0, value.length);
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(WireHeaders.SEQ, HeaderText.number(frame.sequence()));
        h.put(WireHeaders.PTS_US, HeaderText.number(frame.ptsMicros()));
        h.put(WireHeaders.WIDTH, HeaderText.number(frame.width()));
        h.put(WireHeaders.HEIGHT, HeaderText.number(frame.height()));
        h.put(WireHeaders.FORMAT, HeaderText.text(frame.format().id()));
        return new WireRecord(HeaderText.text(frame.channel()), value, h);
    }

    /**
     * The frame of a record. The frame takes the record's value array over without a copy.
     *
     * @throws MalformedRecordException when the key, a header or the value's size is wrong; nothing of
     *     the value is allocated before the size is checked
     */
    public static Frame decode(WireRecord record) throws MalformedRecordException {
        String channel = HeaderText.channel(record);
        long sequence = HeaderText.number(record, WireHeaders.SEQ, 0, Long.MAX_VALUE);
        long pts = HeaderText.number(record, WireHeaders.PTS_US, Long.MIN_VALUE, Long.MAX_VALUE);
        int width = (int) HeaderText.number(record, WireHeaders.WIDTH, 1, Frame.MAX_DIMENSION);
        int height = (int) HeaderText.number(record, WireHeaders.HEIGHT, 1, Frame.MAX_DIMENSION);
        PixelFormat format = format(HeaderText.text(record, WireHeaders.FORMAT));
        try {
            Frame.checkDimensions(width, height, format);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(Problem.INVALID_DIMENSIONS, "frame record #" + sequence + " of channel "
                    + channel + ": " + e.getMessage());
        }
        int expected = format.frameSize(width, height);
        byte[] value = record.value();
        if (value == null) {
            throw new MalformedRecordException(Problem.MISSING_VALUE, "frame record #" + sequence + " of channel "
                    + channel + " has no value; expected " + expected + " pixel bytes");
        }
        if (value.length != expected) {
            throw new MalformedRecordException(Problem.SIZE_MISMATCH, "frame record #" + sequence + " of channel "
                    + channel + " has " + value.length + " pixel bytes; a " + width + "x" + height + " "
                    + format.id() + " frame has " + expected);
        }
        return new Frame(channel, sequence, pts, width, height, format, value);
    }

    /** Only the exact lower-case ids are the wire format (no aliases such as {@code yuv420p}). */
    private static PixelFormat format(String id) throws MalformedRecordException {
        for (PixelFormat f : PixelFormat.values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        StringBuilder known = new StringBuilder();
        for (PixelFormat f : PixelFormat.values()) {
            known.append(known.length() == 0 ? "" : ", ").append(f.id());
        }
        throw new MalformedRecordException(Problem.UNKNOWN_FORMAT, "header " + WireHeaders.FORMAT + " is '"
                + HeaderText.printable(id) + "'; expected one of " + known.toString().toLowerCase(Locale.ROOT));
    }
}
