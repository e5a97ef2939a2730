package io.vencflow.connectors.testing;

import io.vencflow.connectors.rtsp.internal.RtpClock;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A live camera: renders the synthetic scene at a fixed rate, encodes each frame as it is captured
 * and publishes it, on its own thread. A keyframe request from another thread is handed to the
 * encoder on the encoding thread before the next frame (encoders are single-threaded). Keeps every
 * source frame, for comparing with what players decode.
 */
public final class LiveEncoderPublisher implements AutoCloseable {
    private final Thread thread;
    private final List<Frame> sources = new CopyOnWriteArrayList<>();
    private final AtomicBoolean keyframeWanted = new AtomicBoolean();
    private final AtomicLong keyframes = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    public LiveEncoderPublisher(String channel, EncoderConfig config, int fps, Consumer<EncodedFrame> sink) {
        thread = new Thread(() -> run(channel, config, fps, sink), "live-encoder-" + channel);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String channel, EncoderConfig config, int fps, Consumer<EncodedFrame> sink) {
        SyntheticScene scene = new SyntheticScene(channel, config.width(), config.height(), PixelFormat.I420);
        long periodNanos = 1_000_000_000L / fps;
        long next = System.nanoTime();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (long seq = 0; running; seq++) {
                Frame frame = scene.render(seq, RtpClock.nowMicros());
                sources.add(frame);
                if (keyframeWanted.getAndSet(false)) {
                    encoder.requestKeyframe();
                }
                EncodedFrame encoded = encoder.encode(frame);
                if (encoded.keyframe()) {
                    keyframes.incrementAndGet();
                }
                sink.accept(encoded);
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } else {
                    next = System.nanoTime(); // the encoder is behind: do not try to catch up in a burst
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Asks for an IDR at the next frame. Thread-safe; what a {@code KeyframeRequester} calls. */
    public void requestKeyframe() {
        keyframeWanted.set(true);
    }

    /** IDRs encoded so far (the first frame is one). */
    public long keyframes() {
        return keyframes.get();
    }

    /** The source frames so far, in capture order. */
    public List<Frame> sources() {
        return List.copyOf(sources);
    }

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
