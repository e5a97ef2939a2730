package io.vencflow.core.bitstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Annex-B byte stream format (H.264 Annex B, H.265 Annex B): NAL units behind 3- or 4-byte start
 * codes ({@code 00 00 01}, {@code 00 00 00 01}).
 */
public final class AnnexB {
    private AnnexB() {
    }

    /** Where one NAL unit lies in a buffer: its header byte at {@code offset}, {@code length} bytes. */
    public record Range(int offset, int length) {
        public byte[] copy(byte[] buf) {
            return Arrays.copyOfRange(buf, offset, offset + length);
        }
    }

    /**
     * Finds the NAL units in {@code data[from, to)}: each starts after a start code and ends before the
     * next one; trailing zero bytes (part of the next 4-byte start code or {@code trailing_zero_8bits})
     * are not part of it. Bytes before the first start code are ignored. Empty units are skipped.
     */
    public static List<Range> scan(byte[] data, int from, int to) {
        List<Range> units = new ArrayList<>();
        int start = -1;
        int i = from;
        while (i + 2 < to) {
            if ((data[i + 2] & 0xff) > 1) {
                i += 3; // no start code can end at i+2: skip ahead
            } else if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    addTrimmed(units, data, start, i);
                }
                start = i + 3;
                i += 3;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            addTrimmed(units, data, start, to);
        }
        return units;
    }

    /** Finds the NAL units of a whole buffer. */
    public static List<Range> scan(byte[] data) {
        return scan(data, 0, data.length);
    }

    /** Copies of the NAL units of a whole buffer. */
    public static List<byte[]> split(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        for (Range r : scan(data)) {
            out.add(r.copy(data));
        }
        return out;
    }

    private static void addTrimmed(List<Range> units, byte[] data, int start, int end) {
        while (end > start && data[end - 1] == 0) {
            end--;
        }
        if (end > start) {
            units.add(new Range(start, end - start));
        }
    }

    /**
     * Removes emulation prevention bytes (the {@code 03} in {@code 00 00 03}) from
     * {@code nal[from, to)}, giving the raw byte sequence payload a parser reads.
     */
    public static byte[] unescape(byte[] nal, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < to; i++) {
            byte b = nal[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out[n++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Inserts emulation prevention bytes so that {@code rbsp} can sit in a NAL unit. */
    public static byte[] escape(byte[] rbsp, int from, int to) {
        byte[] out = new byte[escape(rbsp, from, to, null, 0)];
        escape(rbsp, from, to, out, 0);
        return out;
    }

    /**
     * A NAL unit: the one-byte {@code header}, then {@code rbsp} with emulation prevention bytes, in
     * one array of the exact size (the payload is scanned twice rather than copied twice).
     */
    public static byte[] nalUnit(int header, byte[] rbsp, int from, int to) {
        byte[] out = new byte[1 + escape(rbsp, from, to, null, 0)];
        out[0] = (byte) header;
        escape(rbsp, from, to, out, 1);
        return out;
    }

    /**
     * Escapes {@code rbsp} from {@code from} to {@code to} into {@code out} from {@code off}, or with
     * {@code out} null only counts; returns the escaped length.
     */
    private static int escape(byte[] rbsp, int from, int to, byte[] out, int off) {
        int n = off;
        int zeros = 0;
        for (int i = from; i < to; i++) {
            byte b = rbsp[i];
            if (zeros >= 2 && (b & 0xff) <= 3) {
                if (out != null) {
                    out[n] = 3;
                }
                n++;
                zeros = 0;
            }
            if (out != null) {
                out[n] = b;
            }
            n++;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return n - off;
    }
}
