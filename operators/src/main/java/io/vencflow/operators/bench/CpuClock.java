package io.vencflow.operators.bench;

import java.lang.management.ManagementFactory;

/** CPU time of this whole process (every thread: encoders, Flink, GC, JIT). */
final class CpuClock {
    private CpuClock() {
    }

    static long processNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }
}
