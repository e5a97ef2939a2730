package io.vencflow.jobs.testing;

import io.vencflow.jobs.cli.Vencflow;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * One {@code vencflow} command run in this JVM, its output captured as it is written: run it to the
 * end, or start it in the background and watch its output while it runs.
 */
public final class CommandRun {
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private CompletableFuture<Integer> exit;

    /** Runs to the end; returns the exit code. */
    public int run(String... args) {
        start(args);
        return exitCode(Duration.ofMinutes(5));
    }

    /** Starts in a background thread. */
    public CommandRun start(String... args) {
        CommandLine cli = Vencflow.commandLine();
        cli.setOut(new PrintWriter(new BufferWriter(out), true));
        cli.setErr(new PrintWriter(new BufferWriter(err), true));
        exit = CompletableFuture.supplyAsync(() -> cli.execute(args));
        return this;
    }

    public int exitCode(Duration timeout) {
        try {
            return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("command did not end within " + timeout + "; output so far:\n" + out + err, e);
        }
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }

    /** Waits until the output matches {@code regex}; returns the match, or fails with the output so far. */
    public Matcher await(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(out);
            if (m.find()) {
                return m;
            }
            if (exit.isDone()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no /" + regex + "/ in the output within " + timeout + ":\n" + out + "\nstderr:\n" + err);
    }

    private static final class BufferWriter extends Writer {
        private final StringBuffer target;

        BufferWriter(StringBuffer target) {
            this.target = target;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            target.append(cbuf, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
