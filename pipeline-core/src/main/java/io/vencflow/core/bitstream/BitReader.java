package io.vencflow.core.bitstream;

/**
 * Reads bits MSB-first from an RBSP (emulation prevention already removed), with the Exp-Golomb
 * codes of H.264/H.265 clause 9.1.
 */
public final class BitReader {
    private final byte[] data;
    private final int end;
    private int bitPos;

    public BitReader(byte[] data, int offset, int length) {
        this.data = data;
        this.bitPos = offset * 8;
        this.end = (offset + length) * 8;
    }

    public BitReader(byte[] data) {
        this(data, 0, data.length);
    }

    public int u1() {
        if (bitPos >= end) {
            throw new IllegalArgumentException("read past the end of a " + (end / 8) + "-byte payload");
        }
        int b = (data[bitPos >> 3] >> (7 - (bitPos & 7))) & 1;
        bitPos++;
        return b;
    }

    public boolean flag() {
        return u1() == 1;
    }

    /** Reads {@code n} bits (0..32) as an unsigned value. */
    public long u(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | u1();
        }
        return v;
    }

    public int ui(int n) {
        return (int) u(n);
    }

    public void skip(int n) {
        if (bitPos + n > end) {
            throw new IllegalArgumentException("skip past the end of a " + (end / 8) + "-byte payload");
        }
        bitPos += n;
    }

    /** ue(v): unsigned Exp-Golomb. */
    public int ue() {
        int zeros = 0;
        while (u1() == 0) {
            zeros++;
            if (zeros > 31) {
                throw new IllegalArgumentException("Exp-Golomb code longer than 32 bits at bit " + bitPos);
            }
        }
        return (int) ((1L << zeros) - 1 + u(zeros));
    }

    /** se(v): signed Exp-Golomb. */
    public int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    public int bitsLeft() {
        return end - bitPos;
    }
}
