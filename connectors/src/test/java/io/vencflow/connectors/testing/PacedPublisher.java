package io.vencflow.connectors.testing;

import io.vencflow.connectors.rtsp.internal.RtpClock;
import io.vencflow.core.codec.EncodedFrame;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Publishes a loop of access units (which must start with an IDR, so that every loop does) at a fixed
 * frame rate on its own thread, re-stamped as a live camera's would be: sequences counting up and
 * capture times from the wall clock at publish. Stops on {@link #close()}.
 */
public final class PacedPublisher implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
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
        try {
            while (running) {
                EncodedFrame src = loop.get((int) (seq % loop.size()));
                long pts = RtpClock.nowMicros();
                sink.accept(new EncodedFrame(channel, seq, pts, src.codec(), src.width(), src.height(), src.keyframe(),
                        seq / loop.size(), src.gopPosition(), src.packs()));
                published.incrementAndGet();
                seq++;
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

    public long published() {
        return published.get();
    }

    /** What stopped the publisher early, or null. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
