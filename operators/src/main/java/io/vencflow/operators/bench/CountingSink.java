package io.vencflow.operators.bench;

import io.vencflow.core.codec.EncodedFrame;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** The benchmark's sink: counts access units and bytes on the run's clock, keeps nothing. */
final class CountingSink implements Sink<EncodedFrame> {
    private static final long serialVersionUID = 1L;
    private final String runId;

    CountingSink(String runId) {
        this.runId = runId;
    }

    @Override
    public SinkWriter<EncodedFrame> createWriter(WriterInitContext context) {
        RunClock clock = RunClock.of(runId);
        return new SinkWriter<>() {
            @Override
            public void write(EncodedFrame au, Context ctx) {
                clock.received(au.annexBSize());
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
