package io.vencflow.operators.bench;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.EncodingOptions;
import io.vencflow.operators.VideoEncoding;
import io.vencflow.operators.VideoTypes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the Flink job costs on top of the encoders: the same frames through (a) a bare loop over
 * {@link VideoEncoder}, (b) a Flink job with the keyed encoder ({@link VideoEncoding#encode}, frames
 * keyed by channel across an exchange) and (c) the same job on a source partitioned by channel
 * ({@link VideoEncoding#encodePartitioned}, no exchange), each on a local MiniCluster, in the same run;
 * prints the fps of each and the ratios to (a).
 *
 * <p>What makes them comparable:
 * <ul>
 *   <li>Same frames. Each channel cycles through the same pool of {@value #POOL} rendered pictures of
 *       its synthetic scene (frame i is picture i % {@value #POOL} with sequence i), so producing a
 *       frame costs nothing on any side and none reads a disk. The job's source subtasks render their
 *       channel's pool before the start line; the bare loop's are rendered before its clock starts.
 *   <li>Same work. Every channel's frames are encoded in sequence order by one encoder per channel,
 *       opened with the same config (the encoder's opening is timed on every side). The bytes out are
 *       printed and come out equal.
 *   <li>Same parallelism. (a) runs one thread per channel, all started together; the jobs run source and
 *       encoder with parallelism = channels, and the channel ids are chosen so that each lands on its
 *       own encoder subtask (with Flink's key-group hashing some ids would share one).
 *   <li>Clean start. Before each side the heap is collected and the previous side's threads are given
 *       half a second to wind down, so no side pays for the garbage or the shutdown of another.
 *   <li>Timed span. (a) from the threads' start to the last one's end; the jobs from the moment every
 *       source subtask is ready (a start line they all wait at) to the last access unit the sink
 *       receives. The MiniCluster's start and the job's deployment, one-off costs of a long-running job,
 *       are left out; everything on the data path is in: the source, the serialization and exchange of
 *       every frame (b only), keyed state and timers, the encode, the metrics, the sink.
 *   <li>Warm-up and rounds. The JIT takes a while over the encoders and over Flink's data path, so
 *       {@link #main} first runs all three sides untimed; then it runs them several times, rotating which
 *       goes first, and prints the best of each side and the median of the rounds' ratios, so neither
 *       the JIT nor noise from other processes decides the ratio. Besides wall-clock fps it prints frames
 *       per CPU-second of the whole process (encoders, Flink, GC, JIT), which load from other processes
 *       moves less.
 * </ul>
 *
 * <p>The job's sources and sink find their clock through this JVM, so the benchmark runs on a local
 * MiniCluster only.
 */
public final class PipelineBench {
    /** Distinct pictures per channel, a second of motion at 30 fps. */
    static final int POOL = 30;
    private static final int MAX_PARALLELISM = 128;

    private PipelineBench() {
    }

    /** One measurement of one side: frames per second of wall clock and per CPU-second, and bytes out. */
    public record Side(double fps, double cpuFps, long bytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f fps (%.1f per cpu-s, %d bytes)", fps, cpuFps, bytes);
        }
    }

    /**
     * One measurement: (a) the bare loop, (b) the job with {@link VideoEncoding#encode} (keyBy), and
     * (c) the job with {@link VideoEncoding#encodePartitioned} (a source partitioned by channel).
     */
    public record Result(int channels, int width, int height, int framesPerChannel, Backend backend, Side bare,
            Side job, Side partitionedJob) {

        /** The sides in the order bare loop, keyBy job, partitioned job. */
        Side[] sides() {
            return new Side[] {bare, job, partitionedJob};
        }

        /** Job fps over bare fps (wall clock): 1.0 means the pipeline costs nothing. */
        public double ratio() {
            return job.fps() / bare.fps();
        }

        /** The same per CPU-second of the whole process, which other processes on the machine barely move. */
        public double cpuRatio() {
            return job.cpuFps() / bare.cpuFps();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "bare %s | job %s | partitioned job %s | job/bare %.3f (cpu %.3f),"
                    + " partitioned/bare %.3f (cpu %.3f)", bare, job, partitionedJob, ratio(), cpuRatio(),
                    partitionedJob.fps() / bare.fps(), partitionedJob.cpuFps() / bare.cpuFps());
        }
    }

    /**
     * Measures (a) the bare loop, (b) the Flink job and (c) the partitioned Flink job, in that order, on
     * {@code channels} channels of {@code frames} frames of {@code width}x{@code height}, encoded with
     * {@code config} (its size is replaced).
     */
    public static Result run(int channels, int width, int height, int frames, EncoderConfig config) throws Exception {
        return run(channels, width, height, frames, config, 0, null);
    }

    /**
     * As {@link #run(int, int, int, int, EncoderConfig)}, the three sides rotated left by {@code rotation}, the
     * jobs' network buffers {@code segmentSize} large (null: Flink's default).
     */
    static Result run(int channels, int width, int height, int frames, EncoderConfig config, int rotation,
            MemorySize segmentSize) throws Exception {
        if (channels < 1 || channels > 64 || frames < 1) {
            throw new IllegalArgumentException("channels " + channels + " / frames " + frames
                    + " out of range; expected 1..64 channels and 1 or more frames");
        }
        EncoderConfig cfg = config.toBuilder().size(width, height).build();
        String[] ids = channelIds(channels);
        Side[] sides = new Side[3];
        for (int i = 0; i < 3; i++) {
            int side = (i + rotation) % 3;
            settle();
            long[] m = side == 0 ? bareLoop(ids, cfg, frames) : job(ids, cfg, frames, side == 2, segmentSize);
            long total = (long) channels * frames;
            sides[side] = new Side(total / (m[0] / 1e9), total / (m[1] / 1e9), m[2]);
        }
        Backend backend;
        try (VideoEncoder probe = VideoEncoder.open(cfg)) {
            backend = probe.backend();
        }
        return new Result(channels, width, height, frames, backend, sides[0], sides[1], sides[2]);
    }

    /**
     * Collects the garbage the previous side left and lets the threads of its MiniCluster wind down, so
     * that neither GC work nor shutdown of one side is timed in the next.
     */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(500);
        System.gc();
    }

    /**
     * Channel ids that Flink's key-group hashing sends to distinct subtasks of a {@code channels}-wide
     * operator: id i belongs to subtask i.
     */
    static String[] channelIds(int channels) {
        String[] ids = new String[channels];
        int found = 0;
        for (int n = 0; found < channels; n++) {
            String id = "cam-" + n;
            int subtask = VideoEncoding.subtaskOf(id, MAX_PARALLELISM, channels);
            if (ids[subtask] == null) {
                ids[subtask] = id;
                found++;
            }
        }
        return ids;
    }

    /** (a): one thread per channel; returns {nanoseconds, process CPU nanoseconds, bytes}. */
    private static long[] bareLoop(String[] ids, EncoderConfig cfg, int frames) throws Exception {
        FramePool[] pools = new FramePool[ids.length];
        for (int c = 0; c < ids.length; c++) {
            pools[c] = new FramePool(ids[c], cfg.width(), cfg.height(), POOL);
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong bytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < ids.length; c++) {
            FramePool pool = pools[c];
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    long n = 0;
                    try (VideoEncoder encoder = VideoEncoder.open(cfg)) {
                        for (long i = 0; i < frames; i++) {
                            Frame f = pool.frame(i);
                            EncodedFrame au = encoder.encode(f);
                            n += au.annexBSize();
                        }
                    }
                    bytes.addAndGet(n);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bare-" + ids[c]);
            t.start();
            threads.add(t);
        }
        long cpu0 = CpuClock.processNanos();
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long nanos = System.nanoTime() - t0;
        long cpuNanos = CpuClock.processNanos() - cpu0;
        if (failure.get() != null) {
            throw new IllegalStateException("the bare loop failed", failure.get());
        }
        return new long[] {nanos, cpuNanos, bytes.get()};
    }

    /**
     * (b) or, when {@code partitioned}, (c): the Flink job on a local MiniCluster; returns {nanoseconds,
     * process CPU nanoseconds, bytes}.
     */
    private static long[] job(String[] ids, EncoderConfig cfg, int frames, boolean partitioned, MemorySize segmentSize)
            throws Exception {
        int channels = ids.length;
        long total = (long) channels * frames;
        String runId = UUID.randomUUID().toString();
        RunClock clock = RunClock.create(runId, channels, total);
        try {
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, channels);
            if (segmentSize != null) {
                conf.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, segmentSize);
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(channels, conf);
            env.setMaxParallelism(MAX_PARALLELISM);
            DataGeneratorSource<Frame> source = new DataGeneratorSource<>(
                    new PooledFrameGenerator(runId, ids, cfg.width(), cfg.height(), frames, POOL, partitioned), total,
                    VideoTypes.FRAME);
            DataStream<Frame> input = env.fromSource(source, WatermarkStrategy.noWatermarks(), "pooled frames");
            ChannelConfigs configs = ChannelConfigs.of(cfg);
            (partitioned ? VideoEncoding.encodePartitioned(input, configs, EncodingOptions.defaults())
                    : VideoEncoding.encode(input, configs)).sinkTo(new CountingSink(runId)).name("count");
            env.execute("vencflow pipeline bench");
            if (clock.frames() != total) {
                throw new IllegalStateException("the job's sink received " + clock.frames() + " access units of " + total);
            }
            return new long[] {clock.nanos(), clock.cpuNanos(), clock.bytes()};
        } finally {
            RunClock.remove(runId);
        }
    }

    /** The command line's options and their defaults. */
    static final String USAGE = "PipelineBench [--channels 4] [--size 640x480] [--frames 600] [--rounds 12] [--warmup 300]"
            + " [--backend auto|ffmpeg|jcodec|java] [--qp 26] [--gop 30] [--segment-size <Flink network buffer size>]";

    /**
     * {@value #USAGE}: constant QP, so rate control makes the same choices on every side. First all three
     * sides run once untimed on {@code --warmup} frames per channel (the JIT compiles the encoder's and
     * Flink's data path); then {@code --rounds} rounds of {@code --frames} frames per channel. Prints each
     * round, the best of the rounds per side, and the median over the rounds of each round's ratio (the
     * sides of one round run seconds apart, so a drift in the machine's load moves them alike).
     */
    public static void main(String[] args) throws Exception {
        int channels = 4;
        int width = 640;
        int height = 480;
        int frames = 600;
        int rounds = 12;
        int warmup = 300;
        int qp = 26;
        int gop = 30;
        Backend backend = Backend.AUTO;
        MemorySize segmentSize = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println(USAGE);
                return;
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + args[i] + " has no value; usage: " + USAGE);
            }
            String value = args[++i];
            switch (args[i - 1]) {
                case "--channels" -> channels = Integer.parseInt(value);
                case "--size" -> {
                    String[] wh = value.toLowerCase(Locale.ROOT).split("x");
                    if (wh.length != 2) {
                        throw new IllegalArgumentException("--size " + value + " is not WIDTHxHEIGHT, e.g. 640x480");
                    }
                    width = Integer.parseInt(wh[0]);
                    height = Integer.parseInt(wh[1]);
                }
                case "--frames" -> frames = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--qp" -> qp = Integer.parseInt(value);
                case "--gop" -> gop = Integer.parseInt(value);
                case "--backend" -> backend = Backend.parse(value);
                case "--segment-size" -> segmentSize = MemorySize.parse(value);
                default -> throw new IllegalArgumentException("unknown option '" + args[i - 1] + "'; usage: " + USAGE);
            }
        }
        if (rounds < 1 || warmup < 0) {
            throw new IllegalArgumentException("--rounds " + rounds + " / --warmup " + warmup
                    + " out of range; expected 1 or more rounds and 0 or more warm-up frames");
        }
        EncoderConfig config = EncoderConfig.builder().backend(backend).rateControl(RateControlMode.CQP).qp(qp)
                .gop(gop).threads(1).build();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "vencflow pipeline bench: %d channels x %d frames of %dx%d, %s, %d rounds%s%n", channels,
                frames, width, height, config.toBuilder().size(width, height).build(), rounds,
                segmentSize == null ? "" : ", network buffers of " + segmentSize.toHumanReadableString());
        if (warmup > 0) {
            out.printf(Locale.ROOT, "warm-up: %d frames per channel through every side, untimed%n", warmup);
            run(channels, width, height, warmup, config, 0, segmentSize);
        }
        List<Result> results = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            // Rotate which side goes first, so a drift in the machine's load favours none of them.
            Result res = run(channels, width, height, frames, config, r - 1, segmentSize);
            out.printf(Locale.ROOT, "round %d: %s%n", r, res);
            results.add(res);
        }
        out.print(summary(results));
    }

    /** The best of the rounds per side and the median of the rounds' ratios, as {@link #main} prints them. */
    static String summary(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "backend %s; best of %d rounds per side, wall clock and per CPU-second of"
                + " the process%n", results.get(0).backend().id(), results.size()));
        String[] names = {"bare loop", "flink job (keyBy)", "flink job (partitioned)"};
        Side[] best = new Side[3];
        for (int i = 0; i < 3; i++) {
            for (Result res : results) {
                Side side = res.sides()[i];
                best[i] = best[i] == null ? side
                        : new Side(Math.max(best[i].fps(), side.fps()), Math.max(best[i].cpuFps(), side.cpuFps()),
                                side.bytes());
            }
            sb.append(String.format(Locale.ROOT, "%-24s %8.1f fps %8.1f per cpu-s  %d bytes%n", names[i], best[i].fps(),
                    best[i].cpuFps(), best[i].bytes()));
        }
        sb.append(String.format(Locale.ROOT, "%-24s %8s %12s %14s %13s%n", "ratio to the bare loop", "best", "best cpu",
                "median", "median cpu"));
        for (int i = 1; i < 3; i++) {
            int side = i;
            sb.append(String.format(Locale.ROOT, "%-24s %8.3f %12.3f %14.3f %13.3f%n", names[i],
                    best[i].fps() / best[0].fps(), best[i].cpuFps() / best[0].cpuFps(),
                    median(results.stream().mapToDouble(r -> r.sides()[side].fps() / r.bare().fps()).toArray()),
                    median(results.stream().mapToDouble(r -> r.sides()[side].cpuFps() / r.bare().cpuFps()).toArray())));
        }
        return sb.toString();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
