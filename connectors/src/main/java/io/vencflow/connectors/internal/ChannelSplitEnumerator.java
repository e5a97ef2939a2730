package io.vencflow.connectors.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands out a fixed set of channel splits: split {@code i} to reader {@code i % parallelism}, when that
 * reader registers, followed by "no more splits". Splits a failed reader gives back wait here until its
 * replacement registers. Runs in the coordinator thread only.
 */
public final class ChannelSplitEnumerator<S extends OrderedSplit> implements SplitEnumerator<S, PendingSplits<S>> {
    private final SplitEnumeratorContext<S> context;
    private final List<S> pending;

    public ChannelSplitEnumerator(SplitEnumeratorContext<S> context, List<S> pending) {
        this.context = context;
        this.pending = new ArrayList<>(pending);
        this.pending.sort(Comparator.comparingInt(OrderedSplit::ordinal));
    }

    @Override
    public void start() {
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed when a reader registers; nothing is handed out on request.
    }

    @Override
    public void addSplitsBack(List<S> splits, int subtaskId) {
        pending.addAll(splits);
        pending.sort(Comparator.comparingInt(OrderedSplit::ordinal));
        // The failed reader's replacement registers next (addReader) and gets them then.
    }

    @Override
    public void addReader(int subtaskId) {
        assign(subtaskId);
    }

    private void assign(int subtaskId) {
        int parallelism = context.currentParallelism();
        List<S> mine = new ArrayList<>();
        pending.removeIf(s -> {
            if (s.ordinal() % parallelism == subtaskId) {
                mine.add(s);
                return true;
            }
            return false;
        });
        for (S s : mine) {
            context.assignSplit(s, subtaskId);
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public PendingSplits<S> snapshotState(long checkpointId) {
        return new PendingSplits<>(pending);
    }

    @Override
    public void close() {
    }
}
