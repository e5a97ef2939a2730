package io.vencflow.jobs.internal;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.wire.MalformedRecordException;
import io.vencflow.core.wire.NalRecords;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Live per-channel figures of a running job, read from its NAL topic as the records are written
 * ({@code read_uncommitted}, so before exactly-once commits make them visible to others): frames,
 * frames and kilobits in the last second, keyframes, and lag from capture to the topic. A thread of
 * its own; {@link #lines()} is safe from any thread.
 */
public final class StatusBoard implements AutoCloseable {
    private final String topic;
    private final Map<String, Channel> channels = new TreeMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final KafkaConsumer<byte[], byte[]> consumer;

    private static final class Channel {
        long frames;
        long keyframes;
        long lastSequence = -1;
        long lagMs;
        final ArrayDeque<long[]> recent = new ArrayDeque<>(); // {arrival nanos, bytes}
    }

    public StatusBoard(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(NalTopicReader.consumerProperties(bootstrapServers, false));
        this.thread = new Thread(this::run, "vencflow-status");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = NalTopicReader.partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        add(NalRecords.decode(NalTopicReader.wire(r)));
                    } catch (MalformedRecordException e) {
                        // counted by the job's own metrics
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running.get()) {
                synchronized (channels) {
                    channels.clear();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void add(EncodedFrame au) {
        long now = System.nanoTime();
        synchronized (channels) {
            Channel c = channels.computeIfAbsent(au.channel(), k -> new Channel());
            c.frames++;
            c.keyframes += au.keyframe() ? 1 : 0;
            c.lastSequence = Math.max(c.lastSequence, au.sequence());
            c.lagMs = System.currentTimeMillis() - au.ptsMicros() / 1000;
            c.recent.add(new long[] {now, au.annexBSize()});
        }
    }

    /** Access units seen so far on {@code channel}. */
    public long frames(String channel) {
        synchronized (channels) {
            Channel c = channels.get(channel);
            return c == null ? 0 : c.frames;
        }
    }

    /** One line per channel: frames, fps and kbit/s over the last second, keyframes, lag. */
    public List<String> lines() {
        long now = System.nanoTime();
        List<String> out = new ArrayList<>();
        synchronized (channels) {
            for (Map.Entry<String, Channel> e : channels.entrySet()) {
                Channel c = e.getValue();
                while (!c.recent.isEmpty() && now - c.recent.peekFirst()[0] > 1_000_000_000L) {
                    c.recent.pollFirst();
                }
                long bytes = c.recent.stream().mapToLong(x -> x[1]).sum();
                out.add(String.format("%-12s frames %7d  %5.1f fps  %8.1f kbit/s  keyframes %5d  lag %5d ms", e.getKey(),
                        c.frames, (double) c.recent.size(), bytes * 8 / 1000.0, c.keyframes, c.lagMs));
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5_000);
    }
}
