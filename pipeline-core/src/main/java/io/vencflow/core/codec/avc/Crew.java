package io.vencflow.core.codec.avc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The calling thread and {@code helpers} threads of its own, which together run one batch of tasks
 * at a time: each task is claimed in order by whichever thread is free, and {@link #run} returns
 * when all are done.
 *
 * <p>Between batches a helper spins for {@link #SPIN_NANOS} before it parks (yielding after the
 * first thousand spins, for threads beyond the free cores), and so does the caller waiting for the
 * last helper: an encoder's pictures follow each other at once, and waking a parked thread took
 * 0.1-0.3 ms on a virtual machine, against 8 ms for a whole 720p picture on two threads. Not
 * thread-safe: one caller at a time.
 */
final class Crew implements AutoCloseable {
    /** What the threads run: task {@code task} on thread {@code worker} (0 for the caller, 1.. for the helpers). */
    interface Task {
        void run(int worker, int task);

        /**
         * Called on a thread that has found no task left to claim, before it reports done: work it
         * may do while the others finish theirs. {@link #run} returns once every thread is through.
         */
        default void idle(int worker) {}
    }

    /** How long a waiting thread spins before it parks. */
    static final long SPIN_NANOS = 500_000;

    private final Thread[] helpers;
    /** Bumped for each batch; a helper runs a batch when it sees a new value. */
    private volatile int batch;
    private volatile boolean closed;
    private Task task;
    private int tasks;
    /** Run after a failed task, so that the others stop waiting on its progress. */
    private Runnable stop;
    private final AtomicInteger nextTask = new AtomicInteger();
    /** Helpers still running the batch. */
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread caller;

    /** @param helpers threads besides the caller's; 0 runs every batch on the caller */
    Crew(int helpers, String name) {
        this.helpers = new Thread[helpers];
        for (int h = 0; h < helpers; h++) {
            int worker = h + 1;
            Thread t = new Thread(() -> helperLoop(worker), name);
            t.setDaemon(true);
            this.helpers[h] = t;
            t.start();
        }
    }

    /** Threads that run a batch, the caller's included. */
    int workers() {
        return helpers.length + 1;
    }

    /**
     * Runs tasks {@code 0..tasks-1} and returns when all are done; if one fails, once the others
     * have stopped, with the first failure. {@code stop} is called after a failure so that threads
     * waiting on the failed task's progress go on.
     */
    void run(int tasks, Task task, Runnable stop) {
        if (closed) {
            throw new IllegalStateException("the encoder's threads are closed");
        }
        if (helpers.length == 0 || tasks == 1) {
            for (int t = 0; t < tasks; t++) {
                task.run(0, t);
            }
            return;
        }
        this.task = task;
        this.tasks = tasks;
        this.stop = stop;
        nextTask.set(0);
        failure.set(null);
        running.set(helpers.length);
        caller = Thread.currentThread();
        batch++; // publishes the fields above to the helpers
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
        claim(0);
        boolean interrupted = false;
        long start = System.nanoTime();
        for (int spins = 0; running.get() > 0; spins++) {
            // The helpers still use the encoder's state: an interrupt does not end the wait.
            interrupted |= pause(spins, start);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
    }

    /** Claims tasks in order until none is left, then idles; records a failure and stops the others. */
    private void claim(int worker) {
        try {
            for (int t = nextTask.getAndIncrement(); t < tasks; t = nextTask.getAndIncrement()) {
                task.run(worker, t);
            }
            task.idle(worker);
        } catch (RuntimeException | Error e) {
            Throwable first = worker == 0 ? e : new IllegalStateException("a macroblock row failed to encode: " + e, e);
            failure.compareAndSet(null, first);
            nextTask.set(Integer.MAX_VALUE / 2);
            stop.run();
        }
    }

    private void helperLoop(int worker) {
        int seen = 0;
        while (true) {
            long start = System.nanoTime();
            for (int spins = 0; batch == seen && !closed; spins++) {
                pause(spins, start);
            }
            if (closed) {
                return;
            }
            seen = batch;
            claim(worker);
            if (running.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /**
     * One step of a wait that began at {@code start} and has taken {@code spins} steps: a spin for
     * the first thousand, then a yield (more threads than free cores: let the others run) until
     * {@link #SPIN_NANOS} have passed, then a park. Returns whether the thread was interrupted,
     * clearing it, so that the next park blocks again.
     */
    private boolean pause(int spins, long start) {
        if (spins < 1_000) {
            Thread.onSpinWait();
        } else if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.yield();
        } else {
            LockSupport.park(this);
            return Thread.interrupted();
        }
        return false;
    }

    /** Ends the helpers (they finish the batch they run, if any). */
    @Override
    public void close() {
        closed = true;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
    }
}
