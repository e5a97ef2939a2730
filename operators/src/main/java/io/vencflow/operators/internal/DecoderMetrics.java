package io.vencflow.operators.internal;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The metrics of one channel of the keyed decoder, under the group {@code channel=<id>}. Task thread only. */
final class DecoderMetrics {
    final Counter framesIn;
    final Counter framesDecoded;
    final Counter skippedBeforeIdr;
    final Counter decodeErrors;

    DecoderMetrics(MetricGroup group) {
        framesIn = group.counter("framesIn");
        framesDecoded = group.counter("framesDecoded");
        skippedBeforeIdr = group.counter("skippedBeforeIdr");
        decodeErrors = group.counter("decodeErrors");
    }
}
