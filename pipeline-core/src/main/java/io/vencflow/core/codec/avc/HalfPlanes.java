package io.vencflow.core.codec.avc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The three half-sample planes of a padded reference luma picture (clause 8.4.2.2.1: b between
 * horizontal neighbours, h between vertical ones, j in the centre), computed lazily in tiles of
 * {@value #TILE}x{@value #TILE} samples as the motion search first reads them. A skipped
 * macroblock reads none, and macroblocks moving alike read the same tiles, which are computed once
 * a reference: so a picture costs no more filtering than the regions its search refines, and never
 * more than the whole picture. Samples beyond the padded array are taken from its nearest edge, as
 * the decoder takes them from the picture's (the padding repeats the edges). Samples are
 * (value - 128).
 *
 * <p>The rows of a picture, coded on several threads, share the planes: a tile's flag is published
 * with release semantics after its samples, and a worker that finds it unset computes the tile itself. Two workers that
 * race on one tile write the same samples.
 *
 * <p>A worker that would otherwise wait may {@link #prefetch} the tiles the last reference's search
 * read (in the planes of that reference), since motion goes on much as it went: on the bench's
 * panning scene, 50-90% of the tiles a picture read had been read by the picture before. It may also
 * compute the tiles of the reference being made, rows of it that are final, ahead of its first use
 * ({@link #prefetchNext}).
 */
final class HalfPlanes {
    static final int TILE = 8;
    private static final VarHandle FLAGS = MethodHandles.arrayElementVarHandle(int[].class);

    /** The padded picture's size. */
    final int width;
    final int height;
    final byte[] b;
    final byte[] h;
    final byte[] j;
    private final int tilesAcross;
    /** For each tile, the {@link #generation} its b and h (and its j) were computed for. */
    private final int[] sidesDone;
    private final int[] centreDone;
    /** Bumped for each new reference, which makes every tile stale at once; flags start at 0. */
    private int generation = 1;
    /**
     * Added to the generation in the flag of a tile that {@link #prefetch} computed and no search
     * has read yet: the next reference prefetches only the tiles a search read.
     */
    private static final int PREFETCHED = 1 << 30;
    private final ThreadLocal<int[]> scratch = ThreadLocal.withInitial(() -> new int[(TILE + 5) * TILE]);

    /**
     * Planes of a padded picture of {@code width} x {@code height}, filtered eight samples to a
     * {@code long} ({@link SixTap}). Not on the vector API: there it ran no faster in the encoder,
     * and beside the other vector kernels C2 (JDK 17) boxed its vectors on the heap (see
     * VectorKernels).
     */
    HalfPlanes(int width, int height) {
        if (width % TILE != 0 || height % TILE != 0) {
            throw new IllegalArgumentException("padded picture " + width + "x" + height + " is not whole "
                    + TILE + "x" + TILE + " tiles");
        }
        this.width = width;
        this.height = height;
        this.b = new byte[width * height];
        this.h = new byte[width * height];
        this.j = new byte[width * height];
        this.tilesAcross = width / TILE;
        this.sidesDone = new int[tilesAcross * (height / TILE)];
        this.centreDone = new int[tilesAcross * (height / TILE)];
    }

    /** Tiles in the planes, numbered row by row. */
    int tiles() {
        return sidesDone.length;
    }

    /** The first tile of the row of tiles that holds padded sample row {@code y}. */
    int firstTileOfRow(int y) {
        return Math.max(0, Math.min(y, height - 1)) / TILE * tilesAcross;
    }

    /**
     * Forgets every tile: the planes now belong to a new reference. Call between pictures, not while
     * workers read them.
     */
    void newReference() {
        if (++generation == PREFETCHED) { // after 2^30 references: start again from clean flags
            java.util.Arrays.fill(sidesDone, 0);
            java.util.Arrays.fill(centreDone, 0);
            generation = 1;
        }
    }

    /**
     * Makes sure the b and h planes (and, with {@code centre}, j) of the samples {@code [x0, x1) x
     * [y0, y1)} of the padded picture are computed from {@code luma}; returns how many tiles it
     * computed.
     */
    int ensure(byte[] luma, int x0, int y0, int x1, int y1, boolean centre) {
        int computed = 0;
        int g = generation;
        int[] flags = centre ? centreDone : sidesDone;
        for (int ty = y0 / TILE; ty <= (y1 - 1) / TILE; ty++) {
            for (int tx = x0 / TILE; tx <= (x1 - 1) / TILE; tx++) {
                int tile = ty * tilesAcross + tx;
                int flag = (int) FLAGS.getAcquire(flags, tile);
                if (flag == g) {
                    continue;
                }
                if (flag == g + PREFETCHED) {
                    FLAGS.setRelease(flags, tile, g); // read by a search: the next reference prefetches it
                    continue;
                }
                computeTile(luma, tile, centre, g);
                computed++;
            }
        }
        return computed;
    }

    /**
     * Computes those of tiles {@code [from, to)} that the search of the last reference read (in
     * {@code readIn}, the planes of that reference) and this one's has not computed yet: both planes
     * b and h and, where it was read, j. Returns how many tiles it computed. Any thread, at any time
     * between {@link #newReference} calls.
     */
    int prefetch(byte[] luma, int from, int to, HalfPlanes readIn) {
        return prefetch(luma, from, to, readIn, generation);
    }

    /**
     * As {@link #prefetch}, for the reference these planes will hold after the next
     * {@link #newReference}, whose {@code luma} is being made: computes those of tiles {@code [from,
     * to)} that the search of the current reference has read so far ({@code readIn}). The rows of
     * {@code luma} the tiles reach must be final (see {@link #tilesWithin}). Any thread, while
     * {@code readIn}'s searches run. The next {@link #newReference} makes the tiles valid and the one
     * after forgets them: a picture coded again calls it first, to drop those of its first try.
     */
    int prefetchNext(byte[] luma, int from, int to, HalfPlanes readIn) {
        return generation + 1 >= PREFETCHED ? 0 : prefetch(luma, from, to, readIn, generation + 1);
    }

    private int prefetch(byte[] luma, int from, int to, HalfPlanes readIn, int target) {
        if (readIn == this) {
            throw new IllegalArgumentException("the tiles to prefetch are those another reference's planes read");
        }
        int read = readIn.generation;
        int computed = 0;
        for (int tile = from; tile < Math.min(to, sidesDone.length); tile++) {
            if (wanted(readIn.sidesDone, sidesDone, tile, read, target)) {
                computeTile(luma, tile, false, target + PREFETCHED);
                computed++;
            }
            if (wanted(readIn.centreDone, centreDone, tile, read, target)) {
                computeTile(luma, tile, true, target + PREFETCHED);
                computed++;
            }
        }
        return computed;
    }

    /** Whether a tile was read where {@code readFlags} says so and is not yet computed for {@code target}. */
    private static boolean wanted(int[] readFlags, int[] flags, int tile, int read, int target) {
        if ((int) FLAGS.getAcquire(readFlags, tile) != read) {
            return false;
        }
        int flag = (int) FLAGS.getAcquire(flags, tile);
        return flag != target && flag != target + PREFETCHED;
    }

    /**
     * How many tiles, counted from the first, lie within the first {@code rows} rows of the padded
     * picture together with the rows below them that the filters read: {@link #tiles} when
     * {@code rows} is all of them.
     */
    int tilesWithin(int rows) {
        if (rows >= height) {
            return tiles();
        }
        // A tile's last row filters three rows below it (h and j).
        return Math.max(0, (rows - 3) / TILE) * tilesAcross;
    }

    /**
     * Computes a tile's b and h samples (with {@code centre}, its j samples), then publishes them:
     * its flag becomes {@code flag}, with release semantics.
     */
    private void computeTile(byte[] luma, int tile, boolean centre, int flag) {
        int x0 = tile % tilesAcross * TILE;
        int y0 = tile / tilesAcross * TILE;
        if (centre) {
            computeCentre(luma, x0, y0);
        } else {
            computeSides(luma, x0, y0);
        }
        FLAGS.setRelease(centre ? centreDone : sidesDone, tile, flag);
    }

    /** The b and h samples of the tile at (x0, y0): eight at a time ({@link SixTap}) inside, clamped at the edges. */
    private void computeSides(byte[] luma, int x0, int y0) {
        int w = width;
        boolean edgeColumns = x0 == 0 || x0 + TILE == w;
        for (int y = y0; y < y0 + TILE; y++) {
            int o = y * w + x0;
            if (edgeColumns) {
                for (int x = x0; x < x0 + TILE; x++) {
                    b[y * w + x] = clip((horizontal(luma, y, x) + 16) >> 5);
                }
            } else {
                SixTap.filter(luma, o - 2, o - 1, o, o + 1, o + 2, o + 3, b, o, TILE);
            }
            int o0 = clampRow(y - 2) * w + x0;
            int o1 = clampRow(y - 1) * w + x0;
            int o3 = clampRow(y + 1) * w + x0;
            int o4 = clampRow(y + 2) * w + x0;
            int o5 = clampRow(y + 3) * w + x0;
            SixTap.filter(luma, o0, o1, o, o3, o4, o5, h, o, TILE);
        }
    }

    /** The j samples of the tile at (x0, y0): the vertical filter over unrounded horizontal sums. */
    private void computeCentre(byte[] luma, int x0, int y0) {
        int w = width;
        int[] mid = scratch.get();
        boolean edgeColumns = x0 == 0 || x0 + TILE == w;
        for (int k = 0; k < TILE + 5; k++) {
            int y = clampRow(y0 - 2 + k);
            int m = k * TILE;
            if (edgeColumns) {
                for (int c = 0; c < TILE; c++) {
                    mid[m + c] = horizontal(luma, y, x0 + c);
                }
            } else {
                for (int c = 0, o = y * w + x0; c < TILE; c++, o++) {
                    mid[m + c] = luma[o - 2] - 5 * luma[o - 1] + 20 * (luma[o] + luma[o + 1]) - 5 * luma[o + 2]
                            + luma[o + 3];
                }
            }
        }
        for (int r = 0; r < TILE; r++) {
            int out = (y0 + r) * w + x0;
            int m = (r + 2) * TILE;
            for (int c = 0; c < TILE; c++, m++) {
                int v = mid[m - 2 * TILE] - 5 * mid[m - TILE] + 20 * (mid[m] + mid[m + TILE]) - 5 * mid[m + 2 * TILE]
                        + mid[m + 3 * TILE];
                j[out + c] = clip((v + 512) >> 10);
            }
        }
    }

    /** The unrounded horizontal 6-tap sum at (x, y), columns clamped to the padded picture. */
    private int horizontal(byte[] luma, int y, int x) {
        int row = y * width;
        return luma[row + clampColumn(x - 2)] - 5 * luma[row + clampColumn(x - 1)] + 20 * luma[row + clampColumn(x)]
                + 20 * luma[row + clampColumn(x + 1)] - 5 * luma[row + clampColumn(x + 2)]
                + luma[row + clampColumn(x + 3)];
    }

    private int clampColumn(int x) {
        return x < 0 ? 0 : Math.min(x, width - 1);
    }

    private int clampRow(int y) {
        return y < 0 ? 0 : Math.min(y, height - 1);
    }

    /** A filtered value clipped to the sample range, as (value - 128). */
    static byte clip(int v) {
        return (byte) Math.max(-128, Math.min(v, 127));
    }
}
