package io.vencflow.connectors.testing;

import io.vencflow.connectors.rtsp.internal.RtpClock;
import io.vencflow.core.codec.EncodedFrame;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Publishes a loop of access units (which must start with an IDR, so that every loop does) at a fixed
 * frame rate on its own thread, re-stamped as a live camera's would be: sequences counting up and
 * capture times from the wall clock at publish. {@link #requestKeyframe} makes it jump to the loop's
 * start (an IDR) at the next frame, the way an encoder honours a keyframe request. Records how long
 * the slowest publish call took. Stops on {@link #close()}.
 */
public final class PacedPublisher implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong keyframeRequests = new AtomicLong();
    private final AtomicLong slowestPublishNanos = new AtomicLong();
    private final java.util.concurrent.ConcurrentLinkedQueue<long[]> publishTimes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicBoolean keyframeWanted = new AtomicBoolean();
    private volatile boolean running = true;
    private volatile Throwable failure;

    public PacedPublisher(String channel, List<EncodedFrame> loop, int fps, Consumer<EncodedFrame> sink) {
        if (loop.isEmpty() || !loop.get(0).keyframe()) {
            throw new IllegalArgumentException("a loop must start with a keyframe");
        }
        thread = new Thread(() -> run(channel, loop, fps, sink), "paced-publisher-" + channel);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String channel, List<EncodedFrame> loop, int fps, Consumer<EncodedFrame> sink) {
        long periodNanos = 1_000_000_000L / fps;
        long next = System.nanoTime();
        long seq = 0;
        int position = 0;
        long gop = 0;
        try {
            while (running) {
                if (keyframeWanted.getAndSet(false)) {
                    position = 0;
                }
                EncodedFrame src = loop.get(position);
                if (position == 0) {
                    gop++;
                }
                EncodedFrame frame = new EncodedFrame(channel, seq, RtpClock.nowMicros(), src.codec(), src.width(),
                        src.height(), src.keyframe(), gop, src.gopPosition(), src.packs());
                long t0 = System.nanoTime();
                sink.accept(frame);
                long took = System.nanoTime() - t0;
                slowestPublishNanos.accumulateAndGet(took, Math::max);
                publishTimes.add(new long[] {t0, took});
                published.incrementAndGet();
                seq++;
                position = (position + 1) % loop.size();
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Jumps to the loop's first access unit (an IDR) at the next frame. Thread-safe. */
    public void requestKeyframe() {
        keyframeRequests.incrementAndGet();
        keyframeWanted.set(true);
    }

    public long keyframeRequests() {
        return keyframeRequests.get();
    }

    public long published() {
        return published.get();
    }

    /** The longest a single publish call took, in milliseconds. */
    public double slowestPublishMs() {
        return slowestPublishNanos.get() / 1e6;
    }

    /** The longest a publish call that started between two instants (System.nanoTime()) took, in milliseconds. */
    public double slowestPublishMs(long fromNanos, long toNanos) {
        long max = 0;
        for (long[] t : publishTimes) {
            if (t[0] >= fromNanos && t[0] < toNanos) {
                max = Math.max(max, t[1]);
            }
        }
        return max / 1e6;
    }

    /** What stopped the publisher early, or null. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
