package io.vencflow.operators.internal;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.operators.VideoEncoding;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics of one channel of the keyed encoder, registered under the group {@code channel=<id>}
 * of the operator (the names are listed in the README), and its totals as job accumulators
 * ({@link VideoEncoding#ACCUMULATOR_PREFIX}), which a job's result reports when it ends. Updated from
 * the task thread only.
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
    private final LongCounter totalFrames;
    private final LongCounter totalKeyframes;
    private final LongCounter totalBytes;
    private final BitrateWindow window = new BitrateWindow(1_000_000);
    private volatile long bitrateBps;

    EncoderMetrics(MetricGroup group, RuntimeContext context, String channel) {
        String prefix = VideoEncoding.ACCUMULATOR_PREFIX + channel;
        totalFrames = accumulator(context, prefix + ".frames");
        totalKeyframes = accumulator(context, prefix + ".keyframes");
        totalBytes = accumulator(context, prefix + ".bytes");
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

    private static LongCounter accumulator(RuntimeContext context, String name) {
        Accumulator<Long, Long> existing = context.getAccumulator(name);
        if (existing instanceof LongCounter c) {
            return c;
        }
        LongCounter c = new LongCounter();
        context.addAccumulator(name, c);
        return c;
    }

    void encoded(EncodedFrame au, long encodeMicros) {
        int size = au.annexBSize();
        framesEncoded.inc();
        totalFrames.add(1);
        if (au.keyframe()) {
            keyframes.inc();
            totalKeyframes.add(1);
        }
        bytesOut.inc(size);
        totalBytes.add(size);
        encodeTimeMicros.update(encodeMicros);
        bitrateBps = window.add(au.ptsMicros(), size);
    }
}
