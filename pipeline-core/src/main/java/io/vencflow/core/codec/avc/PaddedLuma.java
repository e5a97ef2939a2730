package io.vencflow.core.codec.avc;

/**
 * A reference luma picture with its edge samples repeated {@value #PAD} samples beyond every side,
 * which is what the decoder reads for a vector pointing outside the picture (clause 8.4.2.2.1
 * clamps every coordinate into it). The motion search can then try such vectors, which a
 * picture panning or an object entering needs at its edges, reading plain array rows. Samples
 * are (value - 128).
 */
final class PaddedLuma {
    /** Samples added beyond each side; a multiple of 16, so the padded picture is whole macroblock rows. */
    static final int PAD = 32;

    /** The picture's own size. */
    final int width;
    final int height;
    /** Row length: {@code width + 2 * PAD}. */
    final int stride;
    /** Rows: {@code height + 2 * PAD}. */
    final int rows;
    final byte[] data;
    /** Index of the picture's sample (0, 0). */
    final int origin;

    PaddedLuma(int width, int height) {
        this.width = width;
        this.height = height;
        this.stride = width + 2 * PAD;
        this.rows = height + 2 * PAD;
        this.data = new byte[stride * rows];
        this.origin = PAD * stride + PAD;
    }

    /** The index of sample (x, y), which may lie up to {@link #PAD} samples outside the picture. */
    int index(int x, int y) {
        return origin + y * stride + x;
    }

    /**
     * Copies macroblock row {@code mbRow} of {@code luma} (rows of {@code width}) in, with its side
     * padding; the first and last rows fill the padding above and below the picture too.
     */
    void fillRow(byte[] luma, int mbRow) {
        for (int y = mbRow * 16; y < mbRow * 16 + 16; y++) {
            copyRow(luma, y, PAD + y);
        }
        if (mbRow == 0) {
            for (int r = 0; r < PAD; r++) {
                copyRow(luma, 0, r);
            }
        }
        if (mbRow == height / 16 - 1) {
            for (int r = PAD + height; r < rows; r++) {
                copyRow(luma, height - 1, r);
            }
        }
    }

    private void copyRow(byte[] luma, int y, int row) {
        int d = row * stride;
        System.arraycopy(luma, y * width, data, d + PAD, width);
        java.util.Arrays.fill(data, d, d + PAD, luma[y * width]);
        java.util.Arrays.fill(data, d + PAD + width, d + stride, luma[y * width + width - 1]);
    }
}
