package io.vencflow.jobs.cli;

import io.vencflow.jobs.DemoJob;
import io.vencflow.jobs.EncodeStreamJob;
import io.vencflow.jobs.IngestJob;
import io.vencflow.jobs.RecordJob;
import io.vencflow.jobs.ServeJob;
import io.vencflow.jobs.analyze.AnalyzeCommand;
import io.vencflow.jobs.bench.BenchCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vencflow} command line: one command per job or tool. */
@Command(name = "vencflow", mixinStandardHelpOptions = true, versionProvider = Vencflow.Version.class,
        description = "Encode camera video at scale: H.264/H.265 encoders, Flink jobs, Kafka and RTSP.",
        subcommands = {DemoJob.class, IngestJob.class, EncodeStreamJob.class, RecordJob.class, ServeJob.class,
            AnalyzeCommand.class, EncodeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Vencflow implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (0 success, 1 failure, 2 usage error). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Vencflow()));
    }

    /** Error handling shared by every vencflow command line: a message naming the problem, exit code 1. */
    public static CommandLine configure(CommandLine cli) {
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String message = ex.getMessage() != null ? ex.getMessage() : ex.toString();
            err.println(commandLine.getCommandName() + ": error: " + message);
            if (Boolean.getBoolean("vencflow.debug")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The version from the jar's manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Vencflow.class.getPackage().getImplementationVersion();
            return new String[] {"vencflow " + (v != null ? v : "dev")};
        }
    }
}
