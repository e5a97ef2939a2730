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
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
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
 *   <li>Timed span. (a) from the threads' start to the last one's end; the jobs from the moment every
 *       source subtask is ready (a start line they all wait at) to the last access unit the sink
 *       receives. The MiniCluster's start and the job's deployment, one-off costs of a long-running job,
 *       are left out; everything on the data path is in: the source, the serialization and exchange of
 *       every frame (b only), keyed state and timers, the encode, the metrics, the sink.
 *   <li>Warm-up and rounds. The JIT takes a while over JCodec, so {@link #main} first runs the bare loop
 *       untimed; then it runs the three sides several times, rotating which goes first, and keeps the
 *       best of each, so the JIT and noise from other processes (which only ever slow a side down) do
 *       not decide the ratio. Besides wall-clock fps it prints frames per CPU-second of the whole
 *       process (encoders, Flink, GC, JIT), which load from other processes on the machine barely moves.
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
        return run(channels, width, height, frames, config, 0);
    }

    /** As {@link #run(int, int, int, int, EncoderConfig)}, the three sides rotated left by {@code rotation}. */
    static Result run(int channels, int width, int height, int frames, EncoderConfig config, int rotation)
            throws Exception {
        if (channels < 1 || channels > 64 || frames < 1) {
            throw new IllegalArgumentException("channels " + channels + " / frames " + frames
                    + " out of range; expected 1..64 channels and 1 or more frames");
        }
        EncoderConfig cfg = config.toBuilder().size(width, height).build();
        String[] ids = channelIds(channels);
        Side[] sides = new Side[3];
        for (int i = 0; i < 3; i++) {
            int side = (i + rotation) % 3;
            long[] m = side == 0 ? bareLoop(ids, cfg, frames) : job(ids, cfg, frames, side == 2);
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
    private static long[] job(String[] ids, EncoderConfig cfg, int frames, boolean partitioned) throws Exception {
        int channels = ids.length;
        long total = (long) channels * frames;
        String runId = UUID.randomUUID().toString();
        RunClock clock = RunClock.create(runId, channels, total);
        try {
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, channels);
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

    /**
     * {@code PipelineBench [--channels 4] [--size 640x480] [--frames 300] [--backend auto|ffmpeg|jcodec]
     * [--rounds 3] [--warmup 300] [--qp 26] [--gop 30]}: constant QP, so rate control makes the same
     * choices on both sides; {@code --warmup} frames per channel go through the bare loop untimed first.
     */
    public static void main(String[] args) throws Exception {
        int channels = 4;
        int width = 640;
        int height = 480;
        int frames = 300;
        int rounds = 3;
        int warmup = 300;
        int qp = 26;
        int gop = 30;
        Backend backend = Backend.AUTO;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--channels" -> channels = Integer.parseInt(value);
                case "--size" -> {
                    String[] wh = value.toLowerCase(Locale.ROOT).split("x");
                    width = Integer.parseInt(wh[0]);
                    height = Integer.parseInt(wh[1]);
                }
                case "--frames" -> frames = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--qp" -> qp = Integer.parseInt(value);
                case "--gop" -> gop = Integer.parseInt(value);
                case "--backend" -> backend = Backend.parse(value);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; expected --channels,"
                        + " --size, --frames, --backend, --rounds, --warmup, --qp or --gop");
            }
            i++;
        }
        EncoderConfig config = EncoderConfig.builder().backend(backend).rateControl(RateControlMode.CQP).qp(qp)
                .gop(gop).threads(1).build();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "vencflow pipeline bench: %d channels x %d frames of %dx%d, %s, %d rounds%n", channels,
                frames, width, height, config.toBuilder().size(width, height).build(), rounds);
        if (warmup > 0) {
            out.printf(Locale.ROOT, "warm-up: %d frames per channel through the bare loop%n", warmup);
            bareLoop(channelIds(channels), config.toBuilder().size(width, height).build(), warmup);
        }
        Side[] best = new Side[3];
        Backend used = null;
        for (int r = 1; r <= rounds; r++) {
            // Rotate which side goes first, so a drift in the machine's load favours none of them.
            Result res = run(channels, width, height, frames, config, r - 1);
            out.printf(Locale.ROOT, "round %d: %s%n", r, res);
            Side[] sides = {res.bare(), res.job(), res.partitionedJob()};
            for (int i = 0; i < 3; i++) {
                best[i] = best[i] == null ? sides[i]
                        : new Side(Math.max(best[i].fps(), sides[i].fps()), Math.max(best[i].cpuFps(), sides[i].cpuFps()),
                                sides[i].bytes());
            }
            used = res.backend();
        }
        out.printf(Locale.ROOT, "backend %s; best of %d rounds per side, wall clock and per CPU-second of the process%n",
                used.id(), rounds);
        String[] names = {"bare loop", "flink job (keyBy)", "flink job (partitioned)"};
        for (int i = 0; i < 3; i++) {
            out.printf(Locale.ROOT, "%-24s %8.1f fps %8.1f per cpu-s  %d bytes%n", names[i], best[i].fps(),
                    best[i].cpuFps(), best[i].bytes());
        }
        out.printf(Locale.ROOT, "job/bare                 %8.3f     %8.3f%n", best[1].fps() / best[0].fps(),
                best[1].cpuFps() / best[0].cpuFps());
        out.printf(Locale.ROOT, "partitioned job/bare     %8.3f     %8.3f%n", best[2].fps() / best[0].fps(),
                best[2].cpuFps() / best[0].cpuFps());
    }
}
