package io.vencflow.core.seed.k230;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One encoded frame lent by {@link Venc#GetStream}: up to {@link Venc#VENC_PACK_CNT_MAX} packs, each
 * with its bytes (Annex-B, start code included, so packs written one after the other make a
 * playable file), size, type ({@link Venc#STREAM_TYPE_HEADER}, {@link Venc#STREAM_TYPE_I},
 * {@link Venc#STREAM_TYPE_P}) and timestamp. Field names as the seed documents them.
 *
 * <p>Ownership: the {@code data} views point into the channel's output buffer. They stay valid
 * until {@link Venc#ReleaseStream} gives the buffer back; after it they are cleared.
 */
public final class StreamData {
    public int pack_cnt;
    /** Read-only views of each pack's bytes: the Java form of the seed's buffer addresses. */
    public final ByteBuffer[] data = new ByteBuffer[Venc.VENC_PACK_CNT_MAX];
    public final int[] data_size = new int[Venc.VENC_PACK_CNT_MAX];
    public final int[] stream_type = new int[Venc.VENC_PACK_CNT_MAX];
    /** Capture timestamp of the frame in microseconds, per pack. */
    public final long[] pts = new long[Venc.VENC_PACK_CNT_MAX];

    /** The buffer lent into this StreamData, null when none is. */
    Object lentBuffer;
    int lentChannel = -1;

    /** A copy of pack {@code index}'s bytes. */
    public byte[] packBytes(int index) {
        if (index < 0 || index >= pack_cnt) {
            throw new IndexOutOfBoundsException("pack " + index + " of " + pack_cnt);
        }
        ByteBuffer b = data[index].duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    void clear() {
        pack_cnt = 0;
        Arrays.fill(data, null);
        Arrays.fill(data_size, 0);
        Arrays.fill(stream_type, 0);
        Arrays.fill(pts, 0);
        lentBuffer = null;
        lentChannel = -1;
    }
}
