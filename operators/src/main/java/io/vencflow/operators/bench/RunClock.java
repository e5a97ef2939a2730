package io.vencflow.operators.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the sources and the sink of one benchmark job meet the program that runs it. They run in this
 * JVM (a local MiniCluster), so they find their clock by run id: every source subtask waits at the
 * start line until all have rendered their pools, the clocks start when the last arrives, and they
 * stop when the sink receives the last access unit.
 */
final class RunClock {
    private static final Map<String, RunClock> CLOCKS = new ConcurrentHashMap<>();

    private final CountDownLatch startLine;
    private final long expected;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long startNanos;
    private volatile long startCpuNanos;
    private volatile long endNanos;
    private volatile long endCpuNanos;

    private RunClock(int sources, long expected) {
        this.startLine = new CountDownLatch(sources);
        this.expected = expected;
    }

    static RunClock create(String runId, int sources, long expectedFrames) {
        RunClock c = new RunClock(sources, expectedFrames);
        CLOCKS.put(runId, c);
        return c;
    }

    static RunClock of(String runId) {
        RunClock c = CLOCKS.get(runId);
        if (c == null) {
            throw new IllegalStateException("no benchmark run " + runId + " in this JVM; the benchmark runs on a local"
                    + " MiniCluster only");
        }
        return c;
    }

    static void remove(String runId) {
        CLOCKS.remove(runId);
    }

    /** A source subtask is ready; returns once all are (or after a minute, to never hang). */
    void arrive() throws InterruptedException {
        startLine.countDown();
        if (!startLine.await(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("benchmark sources did not all open within a minute");
        }
        synchronized (this) {
            if (startNanos == 0) {
                startCpuNanos = CpuClock.processNanos();
                startNanos = System.nanoTime();
            }
        }
    }

    void received(long sizeBytes) {
        bytes.addAndGet(sizeBytes);
        if (frames.incrementAndGet() == expected) {
            endNanos = System.nanoTime();
            endCpuNanos = CpuClock.processNanos();
        }
    }

    long frames() {
        return frames.get();
    }

    long bytes() {
        return bytes.get();
    }

    /** Wall-clock nanoseconds from the start line to the last access unit. */
    long nanos() {
        return endNanos - startNanos;
    }

    /** CPU nanoseconds the whole process spent from the start line to the last access unit. */
    long cpuNanos() {
        return endCpuNanos - startCpuNanos;
    }
}
