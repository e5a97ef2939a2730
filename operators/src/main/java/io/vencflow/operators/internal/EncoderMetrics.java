package io.vencflow.operators.internal;

import io.vencflow.core.codec.EncodedFrame;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics of one channel of the keyed encoder, registered under the group {@code channel=<id>}
 * of the operator (the names are listed in the README). Updated from the task thread only.
 */
final class EncoderMetrics {
    /** Encode times kept for the histogram's statistics. */
    private static final int HISTOGRAM_WINDOW = 1024;

    final Counter framesIn;
    final Counter framesEncoded;
    final Counter keyframes;
    final Counter bytesOut;
    final Counter late;
    final Counter duplicates;
    final Counter skippedGaps;
    final Counter skippedFrames;
    final Counter rejected;
    final Counter idleCloses;
    final Histogram encodeTimeMicros;
    private final BitrateWindow window = new BitrateWindow(1_000_000);
    private volatile long bitrateBps;

    EncoderMetrics(MetricGroup group) {
        framesIn = group.counter("framesIn");
        framesEncoded = group.counter("framesEncoded");
        keyframes = group.counter("keyframes");
        bytesOut = group.counter("bytesOut");
        late = group.counter("late");
        duplicates = group.counter("duplicates");
        skippedGaps = group.counter("skippedGaps");
        skippedFrames = group.counter("skippedFrames");
        rejected = group.counter("rejected");
        idleCloses = group.counter("idleCloses");
        encodeTimeMicros = group.histogram("encodeTimeMicros", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        group.gauge("bitrateBps", (Gauge<Long>) () -> bitrateBps);
    }

    void encoded(EncodedFrame au, long encodeMicros) {
        int size = au.annexBSize();
        framesEncoded.inc();
        if (au.keyframe()) {
            keyframes.inc();
        }
        bytesOut.inc(size);
        encodeTimeMicros.update(encodeMicros);
        bitrateBps = window.add(au.ptsMicros(), size);
    }
}
