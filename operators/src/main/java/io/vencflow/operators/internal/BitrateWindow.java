package io.vencflow.operators.internal;

/**
 * Bits of one channel's access units over the last second of their capture time: the bitrate a
 * player of the stream sees. Not thread-safe (the task thread feeds it; the gauge reads the result
 * the task thread published).
 */
final class BitrateWindow {
    private final long windowMicros;
    private long[] pts = new long[64];
    private long[] bytes = new long[64];
    private int head;
    private int size;
    private long sum;

    BitrateWindow(long windowMicros) {
        this.windowMicros = windowMicros;
    }

    /** Adds one access unit; returns the bit/s over the window that ends at {@code ptsMicros}. */
    long add(long ptsMicros, long sizeBytes) {
        long from = ptsMicros - windowMicros;
        while (size > 0 && pts[head] <= from) {
            sum -= bytes[head];
            head = (head + 1) % pts.length;
            size--;
        }
        if (size == pts.length) {
            grow();
        }
        int tail = (head + size) % pts.length;
        pts[tail] = ptsMicros;
        bytes[tail] = sizeBytes;
        size++;
        sum += sizeBytes;
        return sum * 8 * 1_000_000 / windowMicros;
    }

    private void grow() {
        long[] p = new long[pts.length * 2];
        long[] b = new long[pts.length * 2];
        for (int i = 0; i < size; i++) {
            p[i] = pts[(head + i) % pts.length];
            b[i] = bytes[(head + i) % pts.length];
        }
        pts = p;
        bytes = b;
        head = 0;
    }
}
