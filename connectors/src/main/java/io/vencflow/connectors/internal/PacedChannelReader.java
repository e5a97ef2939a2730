package io.vencflow.connectors.internal;

import io.vencflow.core.frame.Frame;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

/**
 * A source reader over channel splits: frames of all its channels, taken in turn. Paced, each channel
 * gives a frame every {@code 1/fps} seconds of wall time (a channel that falls behind catches up
 * without waiting) and frames are stamped with the wall clock at the moment they are taken, as a camera
 * stamps capture time; unpaced, frames come as fast as they are asked for, stamped by the stream's
 * synthetic clock, so event time stays meaningful.
 *
 * <p>Each channel has its own split output, so watermarks are generated per channel. The reader's
 * checkpoint is each channel's split with its position; a restored reader continues each sequence.
 * Runs in the task thread only; the availability future is completed by a timer thread.
 */
public final class PacedChannelReader<S extends OrderedSplit> implements SourceReader<Frame, S> {
    private final Function<S, ChannelStream<S>> opener;
    private final boolean paced;
    private final List<Channel<S>> channels = new ArrayList<>();
    private int next;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    private static final class Channel<S extends OrderedSplit> {
        final ChannelStream<S> stream;
        final long startNanos;
        final long periodNanos;
        long emitted;
        SourceOutput<Frame> output;

        Channel(ChannelStream<S> stream) {
            this.stream = stream;
            this.startNanos = System.nanoTime();
            this.periodNanos = 1_000_000_000L / stream.fps();
        }

        long dueNanos() {
            return startNanos + emitted * periodNanos;
        }
    }

    public PacedChannelReader(Function<S, ChannelStream<S>> opener, boolean paced) {
        this.opener = opener;
        this.paced = paced;
    }

    @Override
    public void start() {
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Frame> output) throws IOException {
        if (channels.isEmpty()) {
            if (noMoreSplits) {
                return InputStatus.END_OF_INPUT;
            }
            available = new CompletableFuture<>();
            return InputStatus.NOTHING_AVAILABLE;
        }
        Channel<S> c = paced ? earliestDue() : channels.get(next++ % channels.size());
        long now = System.nanoTime();
        if (paced && c.dueNanos() > now) {
            wakeAfter(c.dueNanos() - now);
            return InputStatus.NOTHING_AVAILABLE;
        }
        Frame frame = c.stream.next();
        if (frame == null) {
            finish(c, output);
            return channels.isEmpty() && noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
        }
        if (paced) {
            frame = frame.withSequence(frame.sequence(), ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
        }
        if (c.output == null) {
            c.output = output.createOutputForSplit(c.stream.splitId());
        }
        c.emitted++;
        c.output.collect(frame, Math.floorDiv(frame.ptsMicros(), 1000L));
        return InputStatus.MORE_AVAILABLE;
    }

    private Channel<S> earliestDue() {
        Channel<S> best = channels.get(0);
        for (Channel<S> c : channels) {
            if (c.dueNanos() < best.dueNanos()) {
                best = c;
            }
        }
        return best;
    }

    private void wakeAfter(long nanos) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        available = f;
        Executor later = CompletableFuture.delayedExecutor(Math.max(1, nanos), TimeUnit.NANOSECONDS);
        later.execute(() -> f.complete(null));
    }

    private void finish(Channel<S> c, ReaderOutput<Frame> output) throws IOException {
        channels.remove(c);
        if (c.output != null) {
            output.releaseOutputForSplit(c.stream.splitId());
        }
        c.stream.close();
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
        List<S> out = new ArrayList<>(channels.size());
        for (Channel<S> c : channels) {
            out.add(c.stream.snapshot());
        }
        return out;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<S> splits) {
        for (S s : splits) {
            channels.add(new Channel<>(opener.apply(s)));
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Channel<S> c : channels) {
            try {
                c.stream.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        channels.clear();
        available.complete(null);
        if (first != null) {
            throw first;
        }
    }
}
