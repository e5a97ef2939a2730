package io.vencflow.core.codec.avc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class CrewTest {
    @Test
    void everyTaskRunsOnceOnSomeThreadAndEveryThreadIdlesOnce() {
        for (int helpers = 0; helpers <= 3; helpers++) {
            try (Crew crew = new Crew(helpers, "crew-test")) {
                for (int batch = 0; batch < 200; batch++) {
                    int tasks = 1 + batch % 50;
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                    AtomicInteger idles = new AtomicInteger();
                    AtomicInteger badWorker = new AtomicInteger(-1);
                    int workers = crew.workers();
                    crew.run(tasks, new Crew.Task() {
                        @Override
                        public void run(int worker, int task) {
                            if (worker < 0 || worker >= workers) {
                                badWorker.set(worker);
                            }
                            runs.incrementAndGet(task);
                        }

                        @Override
                        public void idle(int worker) {
                            idles.incrementAndGet();
                        }
                    }, () -> {});
                    for (int t = 0; t < tasks; t++) {
                        assertEquals(1, runs.get(t), "task " + t + " of " + tasks + ", " + helpers + " helpers");
                    }
                    assertEquals(-1, badWorker.get(), "worker number");
                    // One thread, or one task, runs on the caller alone, with nothing to idle for.
                    assertEquals(helpers == 0 || tasks == 1 ? 0 : workers, idles.get(), tasks + " tasks");
                }
            }
        }
    }

    @Test
    void aFailedTaskEndsItsBatchWithItsCauseAndTheNextBatchRuns() {
        try (Crew crew = new Crew(2, "crew-test")) {
            for (int round = 0; round < 20; round++) {
                AtomicInteger stops = new AtomicInteger();
                RuntimeException e = assertThrows(RuntimeException.class, () -> crew.run(40, (worker, task) -> {
                    if (task == 17) {
                        throw new IllegalArgumentException("task 17 is bad");
                    }
                }, stops::incrementAndGet));
                // On the caller the failure is the task's own; on a helper it names the task's as its cause.
                String text = e.getMessage() + " / " + e.getCause();
                assertTrue(text.contains("task 17 is bad"), text);
                assertEquals(1, stops.get(), "stop calls");
                AtomicInteger done = new AtomicInteger();
                crew.run(40, (worker, task) -> done.incrementAndGet(), () -> {});
                assertEquals(40, done.get());
            }
        }
    }

    @Test
    void anInterruptedCallerStillWaitsForTheHelpersAndKeepsItsInterrupt() {
        try (Crew crew = new Crew(1, "crew-test")) {
            AtomicInteger done = new AtomicInteger();
            Thread.currentThread().interrupt();
            crew.run(4, (worker, task) -> {
                long until = System.nanoTime() + 5_000_000; // longer than the caller spins
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                done.incrementAndGet();
            }, () -> {});
            assertEquals(4, done.get(), "tasks done when run returned");
            assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
        }
    }

    @Test
    void aClosedCrewRefusesWork() {
        Crew crew = new Crew(1, "crew-test");
        crew.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> crew.run(3, (worker, task) -> {}, () -> {}));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
