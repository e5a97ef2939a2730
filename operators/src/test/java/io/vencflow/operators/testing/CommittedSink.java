package io.vencflow.operators.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * An exactly-once test sink (Sink V2, two-phase): the writer stages records per checkpoint, Flink
 * keeps the staged batch in the checkpoint, and the committer moves it to a store in this JVM when
 * the checkpoint completes. Only committed records are ever visible; a batch committed again after a
 * restore is recognised by its id and not added twice. Batches are kept in commit order with the id
 * of the job whose writer staged them.
 */
public final class CommittedSink<T> implements Sink<T>, SupportsCommitter<CommittedSink.Batch<T>> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Store> STORES = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final TypeSerializer<T> serializer;

    /** A batch staged by one writer for one checkpoint; {@code id} is job/subtask/attempt/number. */
    public record Batch<T>(String id, String job, List<T> records) {
    }

    private static final class Store {
        final Set<String> batchIds = new HashSet<>();
        final List<Batch<?>> batches = new ArrayList<>();
    }

    public CommittedSink(TypeSerializer<T> serializer) {
        this.serializer = serializer;
        STORES.put(id, new Store());
    }

    /** The committed batches in commit order. */
    @SuppressWarnings("unchecked")
    public List<Batch<T>> batches() {
        Store s = STORES.get(id);
        synchronized (s) {
            List<Batch<T>> out = new ArrayList<>();
            for (Batch<?> b : s.batches) {
                out.add((Batch<T>) b);
            }
            return out;
        }
    }

    /** Every committed record in commit order. */
    public List<T> committed() {
        List<T> out = new ArrayList<>();
        for (Batch<T> b : batches()) {
            out.addAll(b.records());
        }
        return out;
    }

    @Override
    public CommittingSinkWriter<T, Batch<T>> createWriter(WriterInitContext context) {
        String job = context.getJobInfo().getJobId().toString();
        String prefix = job + "/" + context.getTaskInfo().getIndexOfThisSubtask() + "/"
                + context.getTaskInfo().getAttemptNumber() + "/";
        return new CommittingSinkWriter<>() {
            private List<T> pending = new ArrayList<>();
            private long number;

            @Override
            public void write(T element, Context ctx) {
                pending.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public Collection<Batch<T>> prepareCommit() {
                if (pending.isEmpty()) {
                    return List.of();
                }
                Batch<T> b = new Batch<>(prefix + number++, job, pending);
                pending = new ArrayList<>();
                return List.of(b);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Committer<Batch<T>> createCommitter(CommitterInitContext context) {
        Store store = STORES.get(id);
        return new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<Batch<T>>> requests) {
                synchronized (store) {
                    for (CommitRequest<Batch<T>> r : requests) {
                        Batch<T> b = r.getCommittable();
                        if (store.batchIds.add(b.id())) {
                            store.batches.add(b);
                        } else {
                            r.signalAlreadyCommitted();
                        }
                    }
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public SimpleVersionedSerializer<Batch<T>> getCommittableSerializer() {
        TypeSerializer<T> records = serializer.duplicate();
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Batch<T> batch) throws IOException {
                DataOutputSerializer out = new DataOutputSerializer(1024);
                out.writeUTF(batch.id());
                out.writeUTF(batch.job());
                out.writeInt(batch.records().size());
                for (T t : batch.records()) {
                    records.serialize(t, out);
                }
                return out.getCopyOfBuffer();
            }

            @Override
            public Batch<T> deserialize(int version, byte[] bytes) throws IOException {
                if (version != 1) {
                    throw new IOException("batch version " + version + " is unknown; expected 1");
                }
                DataInputDeserializer in = new DataInputDeserializer(bytes);
                String batchId = in.readUTF();
                String job = in.readUTF();
                int n = in.readInt();
                List<T> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(records.deserialize(in));
                }
                return new Batch<>(batchId, job, list);
            }
        };
    }
}
