package io.vencflow.jobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall-clock time and the calling thread's CPU time of a timed loop. With single-threaded encoders all
 * the work is on the calling thread, and its CPU time is a steadier measure than the wall clock on a
 * machine where other processes run.
 */
record Elapsed(long wallNanos, long cpuNanos) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** A running clock; {@link Clock#stop()} reads both times. */
    static Clock start() {
        return new Clock(System.nanoTime(), THREADS.getCurrentThreadCpuTime());
    }

    record Clock(long wall0, long cpu0) {
        Elapsed stop() {
            return new Elapsed(System.nanoTime() - wall0, THREADS.getCurrentThreadCpuTime() - cpu0);
        }
    }
}
