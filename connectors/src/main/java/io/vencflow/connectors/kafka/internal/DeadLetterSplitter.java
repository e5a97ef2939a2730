package io.vencflow.connectors.kafka.internal;

import io.vencflow.connectors.kafka.DeadLetter;
import io.vencflow.connectors.kafka.FrameOrDeadLetter;
import io.vencflow.connectors.kafka.KafkaVideo;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.wire.MalformedRecordException.Problem;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames go on, dead letters to {@link KafkaVideo#DEAD_LETTERS}, counted in {@code deadLetters} and
 * {@code deadLetters_<reason>}; the first few of each reason are logged with their message.
 */
public final class DeadLetterSplitter extends ProcessFunction<FrameOrDeadLetter, Frame> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSplitter.class);
    private static final int LOGGED_PER_REASON = 3;

    private transient Counter deadLetters;
    private transient Map<String, Counter> byReason;

    @Override
    public void open(OpenContext context) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        byReason = new HashMap<>();
        for (Problem p : Problem.values()) {
            byReason.put(p.id(), getRuntimeContext().getMetricGroup().counter("deadLetters_" + p.id()));
        }
    }

    @Override
    public void processElement(FrameOrDeadLetter record, Context ctx, Collector<Frame> out) {
        if (record.isFrame()) {
            out.collect(record.frame());
            return;
        }
        DeadLetter d = record.deadLetter();
        deadLetters.inc();
        Counter c = byReason.computeIfAbsent(d.reason(),
                r -> getRuntimeContext().getMetricGroup().counter("deadLetters_" + r));
        c.inc();
        if (c.getCount() <= LOGGED_PER_REASON) {
            LOG.warn("dead letter {}", d);
        }
        ctx.output(KafkaVideo.DEAD_LETTERS, d);
    }
}
