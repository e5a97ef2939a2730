package io.vencflow.jobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall-clock time, and the calling thread's CPU time and allocated bytes, of a timed loop. With
 * single-threaded encoders all the work is on the calling thread, and its CPU time is a steadier
 * measure than the wall clock on a machine where other processes run. The allocated bytes are -1
 * where the JVM does not count them.
 */
record Elapsed(long wallNanos, long cpuNanos, long allocatedBytes) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** A running clock; {@link Clock#stop()} reads both times and the allocation. */
    static Clock start() {
        return new Clock(System.nanoTime(), THREADS.getCurrentThreadCpuTime(), allocated());
    }

    /** This thread's allocated bytes so far, or -1 where the JVM does not count them. */
    private static long allocated() {
        return THREADS instanceof com.sun.management.ThreadMXBean counting
                ? counting.getCurrentThreadAllocatedBytes() : -1;
    }

    record Clock(long wall0, long cpu0, long allocated0) {
        Elapsed stop() {
            long allocated = allocated();
            return new Elapsed(System.nanoTime() - wall0, THREADS.getCurrentThreadCpuTime() - cpu0,
                    allocated < 0 || allocated0 < 0 ? -1 : allocated - allocated0);
        }
    }
}
