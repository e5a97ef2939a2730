package io.vencflow.operators.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that appends every record to a list in this JVM (the MiniCluster runs in it), in arrival
 * order per subtask. Not exactly-once: records written before a failure stay. For several outputs of
 * one job, where {@code executeAndCollect} takes only one.
 */
public final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<Object>> STORE = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        STORE.put(id, new ConcurrentLinkedQueue<>());
    }

    /** What was written so far. */
    @SuppressWarnings("unchecked")
    public List<T> records() {
        return new ArrayList<>((Queue<T>) (Queue<?>) STORE.get(id));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Queue<Object> queue = STORE.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                queue.add(element);
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
