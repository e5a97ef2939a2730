package io.vencflow.jobs.internal;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs records that a job sets aside (dead letters, late or rejected frames) at WARN: the first 20 in
 * each subtask, then one in a thousand with the count, so a flood cannot flood the log. The job's
 * metrics count all of them.
 */
public final class WarnSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WarnSink.class);

    private final String what;

    public WarnSink(String what) {
        this.what = what;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            private long seen;

            @Override
            public void write(T element, Context ctx) {
                seen++;
                if (seen <= 20 || seen % 1000 == 0) {
                    LOG.warn("{} #{}: {}", what, seen, element);
                }
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
